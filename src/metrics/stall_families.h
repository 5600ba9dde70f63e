#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Stalled connections per classified port and kind, their queued bytes,
// and the ports the daemon flags as stalled.
void AddStallFamilies(const Snapshot& snapshot,
                      std::vector<prometheus::MetricFamily>& out);

}  // namespace tcpstated
