#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tcpstated/collect/sweep.h"
#include "tcpstated/model/snapshot.h"

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

// Every network namespace of the host (`report --collect.netns all`): one
// section per namespace, headed by its label, container and totals.
std::string FormatTextReport(const Sweep& sweep,
                             const TextReportOptions& options = {});
// {"namespaces": [{"netns": LABEL, "inode": N, "owner": "...", "container":
// {...} for a container, then the keys of FormatJsonReport}, ...], "failed":
// [{"netns": LABEL, "inode": N, "error": "..."}], "skipped": {"vanished": N,
// "denied": N}}
std::string FormatJsonReport(const Sweep& sweep);

}  // namespace tcpstated
