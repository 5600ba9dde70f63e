#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "tcpstated/collect/churn_rows.h"
#include "tcpstated/collect/namespace_collector.h"
#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/count/count_settings.h"
#include "tcpstated/detect/finding_detector.h"
#include "tcpstated/detect/finding_rules.h"
#include "tcpstated/host/cgroup_owners.h"
#include "tcpstated/model/log.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// What a namespace's collections are told; see CollectionSettings.
struct WatchSettings {
  CountSettings counting;
  std::string replay_dump;  // empty: the kernel
  FindingRules rules;
  CloseWaitTracker::Options close_wait;
  ChurnSettings churn;
};

// Makes the dump source of a namespace (tests hand in their own).
using SourceFactory =
    std::function<std::unique_ptr<DumpSource>(const SourceSettings&)>;

// The daemon's view of one network namespace across collections: its
// collector (and dump source), finding detector, CLOSE_WAIT tracker and
// last snapshot. Used by the collection thread only.
class NamespaceWatcher {
 public:
  explicit NamespaceWatcher(SourceFactory make_source = {},
                            LogFn log = DiscardLog)
      : make_source_(std::move(make_source)), log_(std::move(log)) {}

  // Collects the calling thread's namespace, judges its findings (tracing
  // new ones to processes), logs what started, changed or ended, and
  // returns the snapshot to publish, labelled with `netns` if given, with
  // its namespace's churn from `churn` (the event source's reading of this
  // collection, if any). Throws CollectError.
  std::shared_ptr<const Snapshot> Collect(const WatchSettings& settings,
                                          const NetworkNamespace* netns,
                                          OwnerLookup owners,
                                          const std::stop_token& stop,
                                          const ChurnReading* churn = nullptr);

 private:
  void Trace(const Snapshot& snapshot, const std::vector<Finding*>& findings,
             const std::stop_token& stop);

  SourceFactory make_source_;
  LogFn log_;
  std::optional<NamespaceCollector> collector_;
  std::string replay_dump_;  // what collector_ was made for
  FindingDetector detector_;
  CloseWaitTracker close_wait_{CloseWaitTracker::Options{}};
  std::shared_ptr<const Snapshot> latest_;
  bool warned_unreadable_ = false;
};

}  // namespace tcpstated
