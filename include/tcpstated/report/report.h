#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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

// Every network namespace of the host (`report --netns all`).
struct NamespaceReport {
  NetworkNamespace netns;
  Snapshot snapshot;
};
// A namespace whose collection failed, and why.
struct NamespaceFailure {
  NetworkNamespace netns;
  std::string error;
};
struct HostReport {
  std::vector<NamespaceReport> namespaces;
  std::vector<NamespaceFailure> failed;  // reported, not dropped silently
  // Listed but not reported: gone before they could be entered, or not
  // ours to enter (no CAP_SYS_ADMIN).
  std::uint64_t vanished = 0;
  std::uint64_t denied = 0;
  // With no TCP socket at all (sockstat): not dumped, not listed.
  std::uint64_t empty = 0;
};

// One section per namespace, headed by its label, container and totals.
std::string FormatTextReport(const HostReport& report,
                             const TextReportOptions& options = {});
// {"namespaces": [{"netns": LABEL, "inode": N, "owner": "...", "container":
// {...} for a container, then the keys of FormatJsonReport}, ...], "failed":
// [{"netns": LABEL, "inode": N, "error": "..."}], "skipped": {"vanished": N,
// "denied": N}}
std::string FormatJsonReport(const HostReport& report);

}  // namespace tcpstated
