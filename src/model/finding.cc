#include "tcpstated/model/finding.h"

#include <arpa/inet.h>
#include <sys/socket.h>

namespace tcpstated {
namespace {

struct KindNames {
  std::string_view label;
  std::string_view title;
};

constexpr std::array<KindNames, kFindingKindCount> kKindNames = {{
    {"accept_queue", "accept queue full"},
    {"port_exhaustion", "ephemeral ports running out"},
    {"time_wait_table", "TIME_WAIT table full"},
    {"syn_sent", "connects not answered"},
    {"syn_recv", "handshakes not completing"},
    {"close_wait", "CLOSE_WAIT pileup"},
    {"time_wait", "TIME_WAIT pileup"},
    {"fin_wait1", "FIN_WAIT1 pileup"},
    {"fin_wait2", "FIN_WAIT2 pileup"},
    {"last_ack", "LAST_ACK pileup"},
    {"closing", "CLOSING pileup"},
    {"unread", "data not read"},
    {"peer_not_reading", "peers not reading"},
    {"unacknowledged", "data not acknowledged"},
}};

}  // namespace

std::string_view FindingKindName(FindingKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)].label;
}

std::string_view FindingKindTitle(FindingKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)].title;
}

std::optional<FindingKind> PileupKindOf(TcpState state) {
  switch (state) {
    case TcpState::kSynSent:
      return FindingKind::kSynSent;
    case TcpState::kSynRecv:
      return FindingKind::kSynRecv;
    case TcpState::kCloseWait:
      return FindingKind::kCloseWait;
    case TcpState::kTimeWait:
      return FindingKind::kTimeWait;
    case TcpState::kFinWait1:
      return FindingKind::kFinWait1;
    case TcpState::kFinWait2:
      return FindingKind::kFinWait2;
    case TcpState::kLastAck:
      return FindingKind::kLastAck;
    case TcpState::kClosing:
      return FindingKind::kClosing;
    default:
      return std::nullopt;
  }
}

std::string_view SeverityName(Severity severity) {
  return severity == Severity::kCritical ? "critical" : "warning";
}

std::string_view HolderRoleName(HolderRole role) {
  switch (role) {
    case HolderRole::kListening:
      return "listening";
    case HolderRole::kConnecting:
      return "connecting";
    case HolderRole::kHolding:
      return "holding";
    case HolderRole::kNone:
      break;
  }
  return "";
}

std::string DescribeProcesses(const std::vector<ProcessSockets>& processes,
                              std::size_t max) {
  std::string text;
  for (std::size_t i = 0; i < processes.size() && i < max; ++i) {
    const ProcessSockets& p = processes[i];
    if (!text.empty()) text += ", ";
    text += p.command + "[" + std::to_string(p.pid) + "] (" +
            std::to_string(p.sockets);
    if (p.state == 'T' || p.state == 't') text += ", stopped";
    if (p.state == 'D') text += ", in uninterruptible wait";
    if (p.state == 'Z' || p.state == 'X') text += ", dead";
    text += ")";
  }
  if (processes.size() > max) {
    text += " and " + std::to_string(processes.size() - max) + " more";
  }
  return text;
}

std::string AddressCount::Text() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::kIpv4 ? AF_INET : AF_INET6, address.data(), text,
            sizeof text);
  return text;
}

}  // namespace tcpstated
