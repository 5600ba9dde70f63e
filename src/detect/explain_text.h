#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "tcpstated/model/finding.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

inline std::string Number(double value) {
  return std::to_string(static_cast<long long>(std::llround(value)));
}

// "net.ipv4.tcp_fin_timeout (60)": the sysctl and its value, when read.
inline std::string Setting(const Snapshot& s, std::string_view sysctl,
                           std::string_view prefix = "net.ipv4.") {
  const auto value = s.Sysctl(sysctl);
  return std::string(prefix) + std::string(sysctl) +
         (value ? " (" + Number(*value) + ")" : "");
}

// "port 8080", "ports 7100-7129".
std::string PortsText(const Finding& f);

// The process most of the finding's sockets belong to, as "nginx[4242]";
// "" when none was found.
std::string MainHolder(const Finding& f);

// The first halted process among the holders (stopped, traced or dead).
const ProcessSockets* HaltedHolder(const Finding& f);

// Each sets cause, why and check for its kinds.
void ExplainServer(Finding& f, const Snapshot& s);   // accept queue, SYN_RECV,
                                                     // TIME_WAIT, table
void ExplainClient(Finding& f, const Snapshot& s);   // ports, SYN_SENT
void ExplainClosing(Finding& f, const Snapshot& s);  // CLOSE_WAIT, FIN_*,
                                                     // LAST_ACK, CLOSING
void ExplainStall(Finding& f, const Snapshot& s);
// Appends the port's churn rates to `why`, when the snapshot has them.
void CiteChurn(Finding& f, const Snapshot& s);

}  // namespace tcpstated
