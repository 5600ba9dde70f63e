#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "systemd_notifier.h"
#include "tcpstated/aggregator.h"
#include "tcpstated/cgroup_owners.h"
#include "tcpstated/close_wait_tracker.h"
#include "tcpstated/collect_error.h"
#include "tcpstated/network_namespaces.h"
#include "tcpstated/pileup_detector.h"
#include "tcpstated/snapshot_store.h"

namespace tcpstated {

struct CollectionSettings {
  std::chrono::milliseconds interval{15000};
  std::size_t max_ports_per_direction = 200;
  std::size_t max_units = 50;
  // nullopt: read net.ipv4.ip_local_port_range of the namespace each time.
  std::optional<PortRange> ephemeral_range;
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
  void TraceToProcesses(const Snapshot& snapshot, std::vector<Pileup>& started);

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
