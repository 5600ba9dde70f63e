#pragma once

#include <tuple>
#include <vector>

#include "tcpstated/detect/finding_rules.h"
#include "tcpstated/model/finding.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Every condition of one snapshot that its rules call a finding, with what
// the counts say (where, how much, the limit and its source, the rate of
// the kernel counter that confirms it) but not yet who or why (see
// FindingTracer and Explain). Ranked: most severe first. Real ports only:
// "other" is never one port. Pure.
std::vector<Finding> Judge(const Snapshot& snapshot, const FindingRules& rules);

// What identifies a finding across collections: kind, direction, port and
// destination address.
using FindingId =
    std::tuple<FindingKind, Direction, int, std::array<std::uint8_t, 16>>;
FindingId IdOf(const Finding& finding);

// Most severe first; then the most sockets, then by port.
void Rank(std::vector<Finding>& findings);

}  // namespace tcpstated
