#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "tcpstated/collect/snapshot_publisher.h"

namespace tcpstated::testing {

// What the collection loop published, for tests of collect/ that do not
// link the metrics stage's store. Thread-safe: the loop publishes from its
// own thread.
class RecordingPublisher final : public SnapshotPublisher {
 public:
  void Publish(std::shared_ptr<const Snapshot> snapshot) override {
    std::lock_guard lock(mutex_);
    snapshots_.push_back(std::move(snapshot));
  }
  void PublishSweep(const Sweep& sweep) override {
    std::lock_guard lock(mutex_);
    sweeps_.push_back(sweep);
  }
  void RecordFailure(CollectErrorReason reason,
                     std::chrono::duration<double>) override {
    std::lock_guard lock(mutex_);
    ++failures_[static_cast<std::size_t>(reason)];
  }
  void RecordEvents(const EventsStatus& status, const ChurnLosses&) override {
    std::lock_guard lock(mutex_);
    events_ = status;
  }
  bool HasSnapshot() const override {
    std::lock_guard lock(mutex_);
    return !snapshots_.empty() || !sweeps_.empty();
  }
  std::uint64_t Failures(CollectErrorReason reason) const {
    std::lock_guard lock(mutex_);
    return failures_[static_cast<std::size_t>(reason)];
  }
  std::vector<Sweep> Sweeps() const {
    std::lock_guard lock(mutex_);
    return sweeps_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const Snapshot>> snapshots_;
  std::vector<Sweep> sweeps_;
  EventsStatus events_;
  std::array<std::uint64_t, kAllCollectErrorReasons.size()> failures_{};
};

}  // namespace tcpstated::testing
