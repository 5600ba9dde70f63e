#pragma once

#include <prometheus/metric_family.h>

#include <chrono>
#include <vector>

#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Appends the families of one snapshot, in a fixed order (so that the
// families of several namespaces merge by position).
void AddSnapshotFamilies(const Snapshot& snapshot,
                         std::chrono::system_clock::time_point now,
                         std::vector<prometheus::MetricFamily>& out);

}  // namespace tcpstated
