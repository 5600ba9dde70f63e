#include "tcpstated/detect/finding_text.h"

#include <algorithm>
#include <cstdio>

#include "explain_text.h"
#include "tcpstated/model/duration.h"

namespace tcpstated {
namespace {

std::string Percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", share * 100);
  return text;
}

std::string PerSecond(const std::optional<double>& rate, const char* what) {
  if (!rate) return "";
  return ", " + Number(*rate) + " " + what + "/s";
}

std::string LimitName(LimitSource source) {
  switch (source) {
    case LimitSource::kBacklog:
      return "the listen() backlog";
    case LimitSource::kSomaxconn:
      return "net.core.somaxconn";
    case LimitSource::kPortRange:
      return "net.ipv4.ip_local_port_range";
    case LimitSource::kTimeWaitTable:
      return "net.ipv4.tcp_max_tw_buckets";
    case LimitSource::kNone:
      break;
  }
  return "";
}

std::optional<double> OldestCloseWait(const Finding& f, const Snapshot& s) {
  std::optional<double> oldest;
  for (const CloseWaitAge& age : s.close_wait_ages) {
    if (age.direction == f.direction &&
        std::find(f.ports.begin(), f.ports.end(), age.port) != f.ports.end()) {
      oldest = std::max(oldest.value_or(0), age.oldest_seconds);
    }
  }
  return oldest;
}

}  // namespace

std::string DescribePorts(const std::vector<std::uint16_t>& ports) {
  std::string text;
  for (std::size_t i = 0; i < ports.size();) {
    std::size_t j = i;
    while (j + 1 < ports.size() && ports[j + 1] == ports[j] + 1) ++j;
    if (!text.empty()) text += ", ";
    text += std::to_string(ports[i]);
    if (j > i) text += "-" + std::to_string(ports[j]);
    i = j + 1;
  }
  return text;
}

std::string PortsPhrase(const std::vector<std::uint16_t>& ports) {
  if (ports.size() == 1) return "port " + std::to_string(ports[0]);
  return "ports " + DescribePorts(ports) + " (" + std::to_string(ports.size()) +
         " ports)";
}

std::string DestinationText(const Finding& f) {
  if (f.ports.size() != 1) return "";
  const std::string port = ":" + std::to_string(f.ports.front());
  if (f.destination) return f.destination->Text() + port;
  const auto& d = f.evidence.destinations;
  if (f.kind == FindingKind::kSynSent && !d.empty() &&
      d.front().sockets * 2 > f.evidence.sockets) {
    return d.front().Text() + port;
  }
  return "";
}

std::string Headline(const Finding& f) {
  std::string where;
  const std::string destination = DestinationText(f);
  if (f.kind == FindingKind::kTimeWaitTable) {
    where = f.ports.empty() ? "the namespace"
                            : "the namespace, most on " +
                                  std::string(DirectionName(f.direction)) +
                                  " " + PortsPhrase(f.ports);
  } else if (!destination.empty()) {
    where = "outbound to " + destination;
  } else if (f.ports.empty()) {
    where = "a listener of the namespace";
  } else {
    where =
        std::string(DirectionName(f.direction)) + " " + PortsPhrase(f.ports);
  }
  return std::string(FindingKindTitle(f.kind)) + ": " + where;
}

std::string HowMuch(const Finding& f, const Snapshot& s) {
  const std::string limit = LimitName(f.limit_source);
  switch (f.kind) {
    case FindingKind::kAcceptQueue:
      if (f.ports.empty()) {  // the namespace's counter, no full queue
        return "no queue full when looked at" + PerSecond(f.rate, "overflows");
      }
      return std::to_string(f.sockets) + " waiting, limit " +
             std::to_string(f.limit) + " (" + limit + ")" +
             PerSecond(f.rate, "overflows") +
             (f.detail > 0 ? ", " + std::to_string(f.detail) +
                                 " local connects waiting in SYN_SENT"
                           : "");
    case FindingKind::kPortExhaustion:
      return std::to_string(f.sockets) + " of " + std::to_string(f.limit) +
             " ephemeral ports (" +
             Percent(static_cast<double>(f.sockets) /
                     static_cast<double>(std::max<std::uint64_t>(1, f.limit))) +
             "), " + std::to_string(f.detail) + " in TIME_WAIT" +
             PerSecond(f.rate, "connects");
    case FindingKind::kTimeWaitTable:
      return std::to_string(f.sockets) + " TIME_WAIT, limit " +
             std::to_string(f.limit) + " (" + limit + ")" +
             PerSecond(f.rate, "destroyed early");
    case FindingKind::kTimeWait:
      return std::to_string(f.sockets) + " sockets (" + Percent(f.share) +
             " of all), " + std::to_string(f.detail) + " ESTABLISHED" +
             PerSecond(f.rate, "entering TIME_WAIT");
    case FindingKind::kSynRecv:
      return std::to_string(f.sockets) + " sockets, backlog " +
             std::to_string(f.limit) + PerSecond(f.rate, "SYNs dropped");
    case FindingKind::kSynSent:
      return std::to_string(f.sockets) + " sockets" +
             PerSecond(f.rate, "SYN retransmits");
    case FindingKind::kUnread:
    case FindingKind::kPeerNotReading:
    case FindingKind::kUnacknowledged:
      return std::to_string(f.sockets) + " connections, " +
             std::to_string(f.bytes) + " bytes queued";
    default: {
      std::string text = std::to_string(f.sockets) + " sockets (" +
                         Percent(f.share) + " of all)";
      if (f.kind == FindingKind::kCloseWait) {
        if (const auto oldest = OldestCloseWait(f, s)) {
          text += ", oldest waiting " + FormatDuration(std::chrono::seconds(
                                            static_cast<long long>(*oldest)));
        }
      }
      return text;
    }
  }
}

std::string DescribeOwners(const std::vector<PortOwner>& owners) {
  std::string text;
  for (const PortOwner& o : owners) {
    if (!text.empty()) text += ", ";
    text += o.owner + " (" + std::to_string(o.sockets) + ")";
  }
  return text;
}

std::string Who(const Finding& f) {
  const std::string role(HolderRoleName(f.evidence.role));
  std::string text;
  if (!f.evidence.processes.empty()) {
    text = role + ": " + DescribeProcesses(f.evidence.processes);
  }
  if (!f.owners.empty()) {
    if (!text.empty()) text += "; ";
    text += (text.empty() ? role + " " : std::string()) + "unit " +
            DescribeOwners(f.owners);
  }
  return text;
}

std::string NobodyFound(const Finding& f) {
  const Evidence& e = f.evidence;
  if (!e.processes.empty() || !e.scan) return "";
  std::string text = "no process found";
  if (e.scan->unreadable > 0) {
    text += " (" + std::to_string(e.scan->unreadable) +
            " processes could not be read: run as root or with "
            "CAP_SYS_PTRACE)";
  } else if (!e.scan->complete) {
    text += " (the walk of /proc stopped at its bound)";
  } else if (e.orphans > 0 && e.orphans == e.sockets) {
    text += ": orphaned sockets, closed by their program";
  }
  return text;
}

}  // namespace tcpstated
