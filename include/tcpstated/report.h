#pragma once

#include <cstddef>
#include <string>

#include "tcpstated/snapshot.h"

namespace tcpstated {

struct TextReportOptions {
  std::size_t top_ports_per_state = 5;
};

// The operator's view at the terminal: totals per state (what
// `netstat -n | awk '/^tcp/ {++S[$NF]} ...'` prints, exact and with IPv6),
// the busiest ports of each state with their direction, and accept queues.
std::string FormatTextReport(const Snapshot& snapshot,
                             const TextReportOptions& options = {});

// One JSON object; every state key present, zeros included.
std::string FormatJsonReport(const Snapshot& snapshot);

}  // namespace tcpstated
