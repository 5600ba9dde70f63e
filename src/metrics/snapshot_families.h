#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Appends the families of one snapshot, in a fixed order (so that the
// families of several namespaces merge by position). Its age, which changes
// with the clock, is rendered per scrape (see Exposition).
void AddSnapshotFamilies(const Snapshot& snapshot,
                         std::vector<prometheus::MetricFamily>& out);

}  // namespace tcpstated
