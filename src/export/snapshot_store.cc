#include "tcpstated/export/snapshot_store.h"

namespace tcpstated {

void SnapshotStore::Publish(std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard lock(mutex_);
  ++health_.attempts;
  health_.last_succeeded = true;
  health_.last_duration = snapshot->collect_duration;
  latest_.assign(1, std::move(snapshot));
}

void SnapshotStore::PublishSweep(Sweep sweep) {
  std::lock_guard lock(mutex_);
  ++health_.attempts;
  health_.last_succeeded = sweep.errors.empty();
  health_.last_duration = sweep.duration;
  for (CollectErrorReason reason : sweep.errors) {
    ++health_.errors_by_reason[static_cast<std::size_t>(reason)];
  }
  health_.all_namespaces = true;
  health_.namespaces_vanished += sweep.vanished;
  health_.namespaces_denied += sweep.denied;
  // A sweep in which every namespace failed keeps the previous ones.
  if (!sweep.snapshots.empty()) latest_ = std::move(sweep.snapshots);
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
  return latest_.empty() ? nullptr : latest_.front();
}

std::vector<std::shared_ptr<const Snapshot>> SnapshotStore::LatestAll() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

CollectionHealth SnapshotStore::Health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

}  // namespace tcpstated
