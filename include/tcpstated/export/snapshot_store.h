#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
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
};

// One collection of every watched namespace (see CollectionLoop).
struct Sweep {
  std::vector<std::shared_ptr<const Snapshot>> snapshots;
  std::chrono::duration<double> duration{0};
  std::uint64_t vanished = 0;
  std::uint64_t denied = 0;
  // Namespaces whose collection failed; the sweep as a whole then counts
  // as failed, while the namespaces that succeeded are still published.
  std::vector<CollectErrorReason> errors;
};

// The hand-over point between the collection thread and scrapes: holds the
// latest good snapshots (immutable, shared; one per watched namespace) and
// the collection health. A failed collection leaves the previous snapshots
// published.
class SnapshotStore {
 public:
  // One namespace's collection.
  void Publish(std::shared_ptr<const Snapshot> snapshot);
  // Every namespace's (`--netns all`).
  void PublishSweep(Sweep sweep);
  void RecordFailure(CollectErrorReason reason,
                     std::chrono::duration<double> duration);

  // The first namespace's snapshot (the only one, unless watching all).
  std::shared_ptr<const Snapshot> Latest() const;
  std::vector<std::shared_ptr<const Snapshot>> LatestAll() const;
  CollectionHealth Health() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const Snapshot>> latest_;
  CollectionHealth health_;
};

}  // namespace tcpstated
