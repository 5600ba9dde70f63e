#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "tcpstated/metrics/snapshot_store.h"

namespace tcpstated {

// Builds every tcpstate_* family of a store view but the snapshot ages (see
// Exposition): none before the first good collection; one set per
// namespace, each labelled netns, when every namespace is watched; and the
// collection health. Fresh from the view: a port that vanished from the
// snapshot vanishes from the exposition.
std::vector<prometheus::MetricFamily> BuildMetricFamilies(
    const StoreView& view);

}  // namespace tcpstated
