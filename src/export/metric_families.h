#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <chrono>
#include <memory>
#include <vector>

#include "tcpstated/export/snapshot_store.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Builds every tcpstate_* family from the latest snapshots (none before the
// first good collection; one per namespace, each labelled netns, when every
// namespace is watched) and the collection health. Fresh on every scrape: a
// port that vanished from the snapshot vanishes from the exposition.
std::vector<prometheus::MetricFamily> BuildMetricFamilies(
    const StoreView& view, std::chrono::system_clock::time_point now);

// Serves the latest snapshot of a store to prometheus-cpp's Exposer.
class SnapshotCollectable final : public prometheus::Collectable {
 public:
  explicit SnapshotCollectable(const SnapshotStore& store) : store_(store) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const SnapshotStore& store_;
};

}  // namespace tcpstated
