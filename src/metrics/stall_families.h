#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Stalled connections per classified port and kind, and their queued
// bytes (the daemon's verdicts are tcpstate_finding).
void AddStallFamilies(const Snapshot& snapshot,
                      std::vector<prometheus::MetricFamily>& out);

}  // namespace tcpstated
