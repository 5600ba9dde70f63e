#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "tcpstated/metrics/snapshot_store.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Connection churn per port (collect.events = bpf): opens, closes by
// closer, failed connects, resets, retransmits, and the lifetime
// histogram of the busiest ports. Appended only to a snapshot that has
// churn, after every other family of the snapshot.
void AddChurnFamilies(const Snapshot& snapshot,
                      std::vector<prometheus::MetricFamily>& out);

// The event source itself, host-wide: enabled or why not, and events it
// could not count on a port.
void AddEventSourceFamilies(const CollectionHealth& health,
                            std::vector<prometheus::MetricFamily>& out);

}  // namespace tcpstated
