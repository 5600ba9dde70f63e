#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "tcpstated/model/collect_error.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// How collections have gone since the daemon started.
struct CollectionHealth {
  std::uint64_t attempts = 0;
  bool last_succeeded = false;
  std::chrono::duration<double> last_duration{0};
  std::array<std::uint64_t, kAllCollectErrorReasons.size()> errors_by_reason{};
  // Watching every network namespace: namespaces listed but skipped since
  // the start, because they vanished first or could not be entered.
  bool all_namespaces = false;
  std::uint64_t namespaces_vanished = 0;
  std::uint64_t namespaces_denied = 0;
  // Of the last sweep: namespaces with no TCP socket (not dumped, not
  // exported one by one) and namespaces beyond netns.max (summed as
  // netns="other").
  std::uint64_t namespaces_empty = 0;
  std::uint64_t namespaces_folded = 0;
};

// One namespace's outcome in a sweep: a new snapshot, or the reason its
// collection failed.
struct NamespaceResult {
  NetworkNamespace netns;
  std::shared_ptr<const Snapshot> snapshot;  // null when it failed
  std::optional<CollectErrorReason> error;
};

// One collection of every watched namespace (see CollectionLoop).
struct Sweep {
  std::vector<NamespaceResult> results;
  std::chrono::duration<double> duration{0};
  std::uint64_t vanished = 0;
  std::uint64_t denied = 0;
  std::uint64_t empty = 0;   // no TCP socket: one sockstat read, no dump
  std::uint64_t folded = 0;  // see FoldQuietNamespaces
};

// Keeps the `max_namespaces` busiest collected namespaces of `sweep` (by
// sockets) and replaces the rest by one result labelled netns="other"
// whose socket counts are their sum, as ports.max does for ports: a host
// with a thousand containers exports a bounded number of series. Failed
// namespaces are kept (their last snapshot is shown, marked stale).
void FoldQuietNamespaces(Sweep& sweep, std::size_t max_namespaces);

// A published snapshot. `stale`: its namespace's last collection failed,
// and this is the one before (its age keeps growing).
struct PublishedSnapshot {
  std::shared_ptr<const Snapshot> snapshot;
  bool stale = false;
};

// Everything a scrape shows, taken together under one lock: snapshots and
// health always belong to the same moment. `generation` changes with every
// publication or failure, so that what is rendered from a view can be
// shared until it does.
struct StoreView {
  std::vector<PublishedSnapshot> snapshots;
  CollectionHealth health;
  std::uint64_t generation = 0;
};

// The hand-over point between the collection thread and scrapes. A failed
// collection leaves the previous snapshots published; under a sweep, a
// namespace that failed keeps its previous snapshot, marked stale, while
// the others are replaced.
class SnapshotStore {
 public:
  // One namespace's collection.
  void Publish(std::shared_ptr<const Snapshot> snapshot);
  // Every namespace's (`--netns all`). Namespaces not in the sweep (gone)
  // are dropped.
  void PublishSweep(const Sweep& sweep);
  void RecordFailure(CollectErrorReason reason,
                     std::chrono::duration<double> duration);

  StoreView View() const;
  std::uint64_t Generation() const;
  bool HasSnapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<PublishedSnapshot> latest_;
  CollectionHealth health_;
  std::uint64_t generation_ = 0;
};

}  // namespace tcpstated
