#pragma once

#include <prometheus/metric_family.h>

#include <cstddef>
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

// Series, as the series budget counts them (see FitSeriesBudget): in
// families; and those one snapshot adds to an exposition, its age
// included (watching every namespace: its info and success series too).
std::size_t SeriesIn(const std::vector<prometheus::MetricFamily>& families);
std::size_t SeriesOf(const Snapshot& snapshot, bool all_namespaces);

}  // namespace tcpstated
