#include "tcpstated/detect/diagnosis.h"

#include <cmath>

namespace tcpstated {
namespace {

std::string Number(double value) {
  return std::to_string(static_cast<long long>(std::llround(value)));
}

// "net.ipv4.tcp_fin_timeout is 60": the sysctl and its value, when read.
std::string Setting(const Snapshot& s, std::string_view sysctl,
                    std::string_view prefix = "net.ipv4.") {
  const auto value = s.Sysctl(sysctl);
  return std::string(prefix) + std::string(sysctl) +
         (value ? " is " + Number(*value) : "");
}

std::string TimeWaitLimit(const Snapshot& s) {
  const auto buckets = s.Sysctl("tcp_max_tw_buckets");
  const auto overflows = Get(s.kernel, KernelCounter::kTimeWaitOverflows);
  const double time_wait =
      static_cast<double>(s.Totals()[Index(TcpState::kTimeWait)]);
  if (overflows && *overflows > 0) {
    return " The kernel is already destroying TIME_WAIT sockets early: " +
           std::to_string(*overflows) +
           " \"time wait bucket table overflow\" so far (" +
           Setting(s, "tcp_max_tw_buckets") + ").";
  }
  if (buckets && time_wait >= 0.9 * *buckets) {
    return " TIME_WAIT is near " + Setting(s, "tcp_max_tw_buckets") +
           ": beyond it the kernel destroys them early.";
  }
  return "";
}

std::string TimeWait(const Pileup& p, const Snapshot& s,
                     const std::string& port) {
  // Old recipes still set it; it broke clients behind NAT and is gone.
  const std::string recycle =
      " (net.ipv4.tcp_tw_recycle, which old recipes set, was removed from "
      "Linux in 4.12.)";
  if (p.direction == Direction::kInbound) {
    return "this server closes connections on " + port +
           " before its clients do. Check: HTTP keep-alive disabled, a short "
           "idle timeout, or a per-connection request limit." +
           TimeWaitLimit(s) + recycle;
  }
  std::string text = "a connection to " + port +
                     " is opened and closed for each request: no connection "
                     "pooling. Check: keep-alive and pooling in the client, "
                     "and ephemeral port pressure toward that upstream "
                     "(EADDRNOTAVAIL on connect).";
  const auto reuse = s.Sysctl("tcp_tw_reuse");
  if (reuse && *reuse == 1) {
    text += " net.ipv4.tcp_tw_reuse is already 1.";
  } else if (reuse) {
    text += " " + Setting(s, "tcp_tw_reuse") +
            ": 1 lets new outbound connections reuse a TIME_WAIT port when "
            "TCP timestamps make it safe.";
  }
  return text + TimeWaitLimit(s) + recycle;
}

std::string SynRecv(const Snapshot& s, const Pileup& p,
                    const std::string& port) {
  std::string text = "handshakes on " + port +
                     " are not completing: a SYN flood, or a server too slow "
                     "to accept. Check: the source addresses, " +
                     Setting(s, "tcp_syncookies") + ".";
  for (const ListenQueue& q : s.listen_queues) {
    if (!p.port || q.port != *p.port || q.length <= q.limit) continue;
    text += " Its accept queue is full (" + std::to_string(q.length) +
            " waiting, backlog " + std::to_string(q.limit) + ")";
    const auto somaxconn = s.Sysctl("somaxconn");
    if (somaxconn && q.limit > 0 &&
        static_cast<double>(q.limit) >= *somaxconn) {
      text += ", and the backlog is capped by net.core.somaxconn (" +
              Number(*somaxconn) +
              "): raising the program's listen() "
              "backlog alone changes nothing";
    }
    text += ".";
  }
  return text;
}

std::string SynSent(const Snapshot& s, const std::string& port) {
  std::string text = "connects to " + port +
                     " are not answered: the upstream is down, filtered or "
                     "overloaded (SYNs dropped, not refused). Check: "
                     "reachability and firewalls toward it, and the client's "
                     "connect timeout";
  if (const auto retries = s.Sysctl("tcp_syn_retries")) {
    // Initial RTO 1 s, doubled each retry: 1 + 2 + ... + 2^n seconds.
    const double wait = std::pow(2.0, *retries + 1) - 1;
    text += "; without one, each attempt waits out " +
            Setting(s, "tcp_syn_retries") + " (about " + Number(wait) + " s)";
  }
  return text + ".";
}

std::string Stall(const Pileup& p, const Snapshot& s, const std::string& port) {
  const std::string queued = std::to_string(p.bytes) + " bytes queued";
  switch (*p.stall) {
    case StallKind::kUnread:
      return "connections on " + port +
             " hold data the program has not read (" + queued +
             "): the program is stuck or too slow. Check: which process holds "
             "them, a blocked event loop or lock, its CPU";
    case StallKind::kRetransmitting:
      return "data sent on " + port + " is not acknowledged (" + queued +
             ", retransmitting): the peers are unreachable or the path drops "
             "packets. Check: reachability of the peers, packet loss; the "
             "kernel gives up after " +
             Setting(s, "tcp_retries2") +
             " retransmissions (tcpstate_aborts_total{reason=\"timeout\"})";
    case StallKind::kZeroWindow:
      return "the peers on " + port + " advertise a zero window (" + queued +
             "): they stopped reading what we send. Check: the peer "
             "programs, and senders that do not time out";
  }
  return "";
}

}  // namespace

std::string Diagnose(const Pileup& p, const Snapshot& s,
                     std::string_view ports) {
  // "port 8080", or "ports 7100-7129" for a group.
  const bool several = ports.find_first_of("-,") != std::string_view::npos;
  const std::string port =
      (several ? "ports " : "port ") +
      (ports.empty() ? PortLabel(p.port) : std::string(ports));
  if (p.stall) return Stall(p, s, port);
  const bool inbound = p.direction == Direction::kInbound;
  switch (p.state) {
    case TcpState::kCloseWait:
      return "the program owning these connections (" +
             std::string(inbound ? "serving " : "connecting to ") + port +
             ") never calls close() on connections its peers have closed. "
             "Check: which process holds them (ss -tnp state close-wait), "
             "and the paths in its code that drop a connection without "
             "closing it or returning it to its pool";
    case TcpState::kTimeWait:
      return TimeWait(p, s, port);
    case TcpState::kSynRecv:
      return SynRecv(s, p, port);
    case TcpState::kSynSent:
      return SynSent(s, port);
    case TcpState::kFinWait2:
      return "peers on " + port +
             " never send their FIN: this side closed and waits for theirs. "
             "An orphaned FIN_WAIT2 socket ends after " +
             Setting(s, "tcp_fin_timeout") +
             " s; one whose program called shutdown() and kept the descriptor "
             "never does. Check: clients that never close, and programs that "
             "shutdown() without close()";
    case TcpState::kFinWait1:
      return "our FINs on " + port +
             " are not acknowledged: peers gone or packets lost. Check: "
             "reachability of the peers, " +
             Setting(s, "tcp_orphan_retries");
    case TcpState::kLastAck:
      return "we closed after the peer on " + port +
             " did and our FIN is not acknowledged: peers vanished. Check: "
             "the network path, " +
             Setting(s, "tcp_orphan_retries");
    case TcpState::kClosing:
      return "simultaneous closes on " + port +
             " with lost acknowledgements. Check: packet loss on the path";
    default:
      return "sockets of this state pile up on " + port;
  }
}

}  // namespace tcpstated
