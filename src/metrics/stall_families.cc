#include "stall_families.h"

#include <string>

#include "metric_builders.h"

namespace tcpstated {

void AddStallFamilies(const Snapshot& s,
                      std::vector<prometheus::MetricFamily>& out) {
  auto sockets = NewFamily(
      "tcpstate_stalled_sockets",
      "ESTABLISHED and CLOSE_WAIT sockets of the port that are stalled, by "
      "kind: unread (data received, not read by the program), retransmitting "
      "(data sent, not acknowledged, retransmitted), zero_window (the peer "
      "stopped reading). Kinds with no socket are omitted.");
  auto bytes = NewFamily("tcpstate_stalled_bytes",
                         "Bytes queued on the stalled sockets of the port: "
                         "received for unread, sent for the other kinds.");
  for (const PortRow& row : s.ports) {
    for (StallKind kind : kAllStallKinds) {
      const auto k = static_cast<std::size_t>(kind);
      if (row.stalls.sockets[k] == 0) continue;
      const Labels labels = {
          {"direction", std::string(DirectionName(row.direction))},
          {"kind", std::string(StallKindName(kind))},
          {"port", PortLabel(row.port)}};
      AddGauge(sockets, labels, static_cast<double>(row.stalls.sockets[k]));
      AddGauge(bytes, labels, static_cast<double>(row.stalls.bytes[k]));
    }
  }
  out.push_back(std::move(sockets));
  out.push_back(std::move(bytes));

  auto flagged = NewFamily(
      "tcpstate_stalled",
      "1 while the daemon flags stalled connections of this kind on this "
      "port (thresholds: stall.* settings).");
  for (const Pileup& p : s.pileups) {
    if (!p.stall) continue;
    AddGauge(flagged,
             {{"direction", std::string(DirectionName(p.direction))},
              {"kind", std::string(StallKindName(*p.stall))},
              {"port", PortLabel(p.port)}},
             1);
  }
  out.push_back(std::move(flagged));
}

}  // namespace tcpstated
