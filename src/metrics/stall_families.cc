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
      "stopped reading), not_sent (probing while the peer's window is open: "
      "our segments do not leave this host). Kinds with no socket are "
      "omitted.");
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
}

}  // namespace tcpstated
