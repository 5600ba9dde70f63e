#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <unordered_map>

#include "tcpstated/collect/host_sweep.h"
#include "tcpstated/collect/namespace_watcher.h"
#include "tcpstated/collect/snapshot_publisher.h"
#include "tcpstated/events/churn_events.h"
#include "tcpstated/host/cgroup_paths.h"
#include "tcpstated/host/container_names.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/model/log.h"

namespace tcpstated {

struct CollectionSettings {
  std::chrono::milliseconds interval{15000};
  // Entered once, by the collection thread; "all": every namespace, each
  // collection. Read at start only.
  std::string netns;
  // With netns "all": the busiest namespaces kept; the rest summed.
  std::size_t max_netns = 200;
  // Where container runtimes keep the state that names containers.
  RuntimeStateDirs runtime_dirs;
  WatchSettings watch;
};

// What the loop tells the rest of the daemon, and how it gets its dumps.
struct LoopHooks {
  // Pinged after each namespace collected (progress) and while waiting
  // between collections; never while a collection is stuck.
  std::function<void()> watchdog_ping = [] {};
  std::optional<std::chrono::microseconds> watchdog_period;
  // Something main must see: the first snapshot was published, or the
  // loop stopped on a fatal error (FatalError()).
  std::function<void()> on_news = [] {};
  SourceFactory make_source;  // empty: the kernel, or the replay file
  // The event source (collect.events = bpf), read once per collection;
  // null when not asked for.
  std::shared_ptr<ChurnEvents> events;
  LogFn log = DiscardLog;
};

// The background thread: collects every `interval`, publishes snapshots to
// the store and records failures, logging each distinct failure once and
// once more when collections recover. Failures of a collection (a
// CollectError, or anything else it throws, such as bad_alloc) are counted
// and survived; only a namespace that cannot be entered at start is fatal.
class CollectionLoop {
 public:
  CollectionLoop(SnapshotPublisher& store, CollectionSettings settings,
                 LoopHooks hooks = {});
  ~CollectionLoop();  // stops and joins
  CollectionLoop(const CollectionLoop&) = delete;
  CollectionLoop& operator=(const CollectionLoop&) = delete;

  // Applies to the wait under way and every collection after it (the
  // namespace only at start).
  void Reconfigure(const CollectionSettings& settings);
  // Stops within a namespace's collection: between namespaces, and inside
  // the /proc walk, the stop is honoured at once.
  void Stop();
  // Why the loop gave up, once it has.
  std::optional<std::string> FatalError() const;

 private:
  void Run(const std::stop_token& stop);
  void CollectOnce(const CollectionSettings& settings,
                   const std::stop_token& stop);
  // The owner names for this collection; a reload that changed where
  // runtimes keep their state starts the container cache over.
  OwnerLookup Owners(const CollectionSettings& settings);
  void SweepAllNamespaces(const CollectionSettings& settings,
                          const std::stop_token& stop);
  // Waits until the next collection is due; false when stopping. A
  // Reconfigure during the wait or during the collection before it takes
  // effect at once.
  bool WaitForNext(const std::stop_token& stop,
                   std::chrono::steady_clock::time_point started,
                   CollectionSettings& settings);
  // The event source's reading for this collection (published for the
  // health metrics), or null without one.
  std::optional<ChurnReading> ReadEvents();
  void NoteSuccess();
  void NoteFailure(CollectErrorReason reason, const std::string& message,
                   const std::string& where);
  void Published();

  SnapshotPublisher& store_;
  LoopHooks hooks_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  CollectionSettings settings_;
  bool reconfigured_ = false;
  std::optional<std::string> fatal_;
  // Only touched by the collection thread.
  std::string last_error_;
  std::uint64_t failures_in_a_row_ = 0;
  bool announced_ = false;
  NamespaceWatcher single_;
  std::unordered_map<std::uint64_t, NamespaceWatcher> namespaces_;  // by inode
  HostSweep sweep_;
  CgroupFsPaths cgroup_paths_;
  std::optional<ContainerNames> containers_;  // made for containers_dirs_
  RuntimeStateDirs containers_dirs_;
  std::jthread thread_;  // last: starts once everything above exists
};

}  // namespace tcpstated
