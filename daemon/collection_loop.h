#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "namespace_collector.h"
#include "systemd_notifier.h"
#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/detect/pileup_detector.h"
#include "tcpstated/export/snapshot_store.h"
#include "tcpstated/host/cgroup_owners.h"
#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {

struct CollectionSettings {
  std::chrono::milliseconds interval{15000};
  CountSettings counting;
  // Entered once, by the collection thread; "all": every namespace, each
  // collection.
  std::string netns;
  std::string replay_dump;  // empty: the kernel
  PileupRules pileup_rules = PileupRules::Defaults();
  CloseWaitTracker::Options close_wait;
};

// The background thread: collects every `interval`, publishes good
// snapshots to the store and records failures. Logs a failure once per
// distinct error, and once more when collections recover. Pings the
// systemd watchdog while it is between collections: a dump that hangs
// stops the pings.
class CollectionLoop {
 public:
  CollectionLoop(SnapshotStore& store, const SystemdNotifier& notifier,
                 CollectionSettings settings);
  ~CollectionLoop();  // stops and joins
  CollectionLoop(const CollectionLoop&) = delete;
  CollectionLoop& operator=(const CollectionLoop&) = delete;

  // Applies from the next collection on (the namespace only at start).
  void Reconfigure(const CollectionSettings& settings);
  void Stop();

 private:
  void Run();
  // What the collection thread keeps per watched namespace.
  struct NamespaceState {
    std::optional<NamespaceCollector> collector;
    std::string replay_dump;  // what `collector` was made for
    PileupDetector detector;
    CloseWaitTracker close_wait{CloseWaitTracker::Options{}};
    std::shared_ptr<const Snapshot> latest;
  };

  void CollectOnce(const CollectionSettings& settings);
  void SweepAllNamespaces(const CollectionSettings& settings);
  // The calling thread's namespace, published as `netns` when given.
  // Throws CollectError.
  std::shared_ptr<Snapshot> CollectNamespace(const CollectionSettings& settings,
                                             NamespaceState& state,
                                             const NetworkNamespace* netns);
  void NoteSuccess();
  void NoteFailure(const CollectError& error, const std::string& where);
  // Names the processes behind pileups that just started, for the log.
  void TraceToProcesses(const NamespaceCollector& collector,
                        const Snapshot& snapshot, std::vector<Pileup>& started);

  SnapshotStore& store_;
  const SystemdNotifier& notifier_;
  std::mutex mutex_;
  std::condition_variable wake_;
  CollectionSettings settings_;
  bool stopping_ = false;
  std::string last_error_;
  std::uint64_t failures_in_a_row_ = 0;
  bool warned_unreadable_ = false;
  // Only touched by the collection thread.
  NamespaceState single_;
  std::unordered_map<std::uint64_t, NamespaceState> namespaces_;  // by inode
  bool warned_denied_ = false;
  CgroupFsPaths cgroup_paths_;
  std::thread thread_;
};

}  // namespace tcpstated
