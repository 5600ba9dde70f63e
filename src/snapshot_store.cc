#include "tcpstated/snapshot_store.h"

namespace tcpstated {

void SnapshotStore::Publish(std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard lock(mutex_);
  ++health_.attempts;
  health_.last_succeeded = true;
  health_.last_duration = snapshot->collect_duration;
  latest_ = std::move(snapshot);
}

void SnapshotStore::RecordFailure(CollectErrorReason reason,
                                  std::chrono::duration<double> duration) {
  std::lock_guard lock(mutex_);
  ++health_.attempts;
  health_.last_succeeded = false;
  health_.last_duration = duration;
  ++health_.errors_by_reason[static_cast<std::size_t>(reason)];
}

std::shared_ptr<const Snapshot> SnapshotStore::Latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

CollectionHealth SnapshotStore::Health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

}  // namespace tcpstated
