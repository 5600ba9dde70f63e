#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

#include "tcpstated/collect_error.h"
#include "tcpstated/snapshot.h"

namespace tcpstated {

// How collections have gone since the daemon started.
struct CollectionHealth {
  std::uint64_t attempts = 0;
  bool last_succeeded = false;
  std::chrono::duration<double> last_duration{0};
  std::array<std::uint64_t, kAllCollectErrorReasons.size()> errors_by_reason{};
};

// The hand-over point between the collection thread and scrapes: holds the
// latest good Snapshot (immutable, shared) and the collection health. A
// failed collection leaves the previous snapshot published.
class SnapshotStore {
 public:
  void Publish(std::shared_ptr<const Snapshot> snapshot);
  void RecordFailure(CollectErrorReason reason,
                     std::chrono::duration<double> duration);

  std::shared_ptr<const Snapshot> Latest() const;
  CollectionHealth Health() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> latest_;
  CollectionHealth health_;
};

}  // namespace tcpstated
