#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "tcpstated/model/kernel_counters.h"

namespace tcpstated {

// The kernel's TCP counters and gauges of one namespace. Every family is
// appended, with no sample for a counter this kernel lacks (absent, not
// 0), so that the families of several namespaces still merge by position.
void AddKernelFamilies(const KernelCounters& counters,
                       std::vector<prometheus::MetricFamily>& out);

}  // namespace tcpstated
