#include "tcpstated/detect/judge.h"

#include <algorithm>

#include "judge_rows.h"

namespace tcpstated {

std::uint64_t FindingRules::SmallestMinSockets() const {
  return std::max<std::uint64_t>(
      1, std::min({min_sockets, closing_min_sockets, stall_min_sockets}));
}

FindingId IdOf(const Finding& f) {
  const int port = f.ports.empty() ? -1 : f.ports.front();
  return {
      f.kind, f.direction, port,
      f.destination ? f.destination->address : std::array<std::uint8_t, 16>{}};
}

void Rank(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) {
                     if (a.severity != b.severity) {
                       return a.severity > b.severity;
                     }
                     if (a.sockets != b.sockets) return a.sockets > b.sockets;
                     return a.ports < b.ports;
                   });
}

std::vector<Finding> Judge(const Snapshot& snapshot,
                           const FindingRules& rules) {
  const JudgeContext context(snapshot, rules);
  std::vector<Finding> findings;
  JudgeAcceptQueues(context, findings);
  JudgePortExhaustion(context, findings);
  JudgeTimeWaitTable(context, findings);
  for (const auto* rows : {&snapshot.ports, &snapshot.folded_candidates}) {
    for (const PortRow& row : *rows) {
      if (!row.port) continue;
      JudgePileups(context, row, findings);
      JudgeStalls(context, row, findings);
    }
  }
  Rank(findings);
  return findings;
}

}  // namespace tcpstated
