#include "tcpstated/metrics/snapshot_store.h"

namespace tcpstated {

void SnapshotStore::Publish(std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard lock(mutex_);
  ++generation_;
  ++health_.attempts;
  health_.last_succeeded = true;
  health_.last_duration = snapshot->collect_duration;
  latest_.assign(1, {std::move(snapshot), false});
}

void SnapshotStore::PublishSweep(const Sweep& sweep) {
  std::lock_guard lock(mutex_);
  ++generation_;
  ++health_.attempts;
  health_.last_succeeded = true;
  health_.last_duration = sweep.duration;
  health_.all_namespaces = true;
  health_.namespaces_vanished += sweep.vanished;
  health_.namespaces_denied += sweep.denied;
  health_.namespaces_empty = sweep.empty;
  health_.namespaces_folded = sweep.folded;
  std::vector<PublishedSnapshot> next;
  for (const NamespaceResult& result : sweep.results) {
    if (result.snapshot) {
      next.push_back({result.snapshot, false});
      continue;
    }
    if (result.error) {
      health_.last_succeeded = false;
      ++health_.errors_by_reason[static_cast<std::size_t>(*result.error)];
    }
    for (const PublishedSnapshot& previous : latest_) {
      if (previous.snapshot->netns &&
          previous.snapshot->netns->inode == result.netns.inode) {
        next.push_back({previous.snapshot, true});
        break;
      }
    }
  }
  latest_ = std::move(next);
}

void SnapshotStore::RecordFailure(CollectErrorReason reason,
                                  std::chrono::duration<double> duration) {
  std::lock_guard lock(mutex_);
  ++generation_;
  ++health_.attempts;
  health_.last_succeeded = false;
  health_.last_duration = duration;
  ++health_.errors_by_reason[static_cast<std::size_t>(reason)];
}

void SnapshotStore::RecordEvents(const EventsStatus& status,
                                 const ChurnLosses& losses) {
  std::lock_guard lock(mutex_);
  ++generation_;
  health_.events = status;
  health_.event_losses = losses;
}

void SnapshotStore::SetSeriesLimit(std::size_t max_series) {
  std::lock_guard lock(mutex_);
  if (max_series_ == max_series) return;
  max_series_ = max_series;
  ++generation_;  // what was rendered under the old budget is stale
}

StoreView SnapshotStore::View() const {
  std::lock_guard lock(mutex_);
  return {latest_, health_, generation_, max_series_};
}

std::uint64_t SnapshotStore::Generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

bool SnapshotStore::HasSnapshot() const {
  std::lock_guard lock(mutex_);
  return !latest_.empty();
}

}  // namespace tcpstated
