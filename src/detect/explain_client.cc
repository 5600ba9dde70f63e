// Why a client cannot connect: ports toward one destination running out,
// SYNs nobody answers.
#include <cmath>

#include "explain_text.h"

namespace tcpstated {
namespace {

// "10.77.0.1:6379", or "port 6379" when no single address stands out.
std::string Destination(const Finding& f) {
  std::string port = f.ports.empty() ? "?" : std::to_string(f.ports.front());
  if (f.destination) return f.destination->Text() + ":" + port;
  const auto& d = f.evidence.destinations;
  if (!d.empty() && d.front().sockets * 2 > f.evidence.sockets) {
    return d.front().Text() + ":" + port;
  }
  return "port " + port;
}

std::string Client(const Finding& f) {
  const std::string holder = MainHolder(f);
  return holder.empty() ? "the client" : holder;
}

void PortExhaustion(Finding& f, const Snapshot& s) {
  const std::string to = Destination(f);
  const std::string range =
      "net.ipv4.ip_local_port_range (" + std::to_string(s.ephemeral_range.low) +
      " " + std::to_string(s.ephemeral_range.high) + ", " +
      std::to_string(s.ephemeral_range.Size()) + " ports)";
  const auto reuse = s.Sysctl("tcp_tw_reuse");
  const std::string reuse_text =
      "net.ipv4.tcp_tw_reuse is " + (reuse ? Number(*reuse) : "unknown") +
      (reuse && *reuse == 2 ? " (reuse for loopback only)" : "") +
      "; 1 lets a new connection take a TIME_WAIT port when TCP timestamps "
      "make it safe";
  if (f.detail * 2 >= f.sockets) {
    // TIME_WAIT sockets have no process: whoever connects now may not be
    // who made them, and is named as what it is.
    const std::string holder = MainHolder(f);
    f.cause = "time_wait_churn";
    f.why =
        "connections to " + to +
        " are opened and closed for each request: " + std::to_string(f.detail) +
        " of the " + std::to_string(f.sockets) +
        " ports held toward it wait out TIME_WAIT (60 s each) after this "
        "side closed them" +
        (holder.empty()
             ? std::string()
             : " (TIME_WAIT has no process; connecting now: " + holder + ")") +
        ". Once all " + std::to_string(f.limit) +
        " are taken, connect() fails with EADDRNOTAVAIL (\"Cannot assign "
        "requested address\"), which no kernel counter records";
    f.check = "connection reuse in the client (keep-alive, a pool); " + range +
              "; " + reuse_text;
    return;
  }
  f.cause = "too_many_connections";
  f.why = Client(f) + " holds " + std::to_string(f.sockets) +
          " connections to " + to + " at once, out of " +
          std::to_string(f.limit) +
          " usable ports: a pool without a bound, or connections it never "
          "closes; beyond them connect() fails with EADDRNOTAVAIL";
  f.check = "the client's pool size and leaks; " + range;
}

void SynSent(Finding& f, const Snapshot& s) {
  const std::string to = Destination(f);
  f.cause = "unanswered";
  std::string why = "connects to " + to +
                    " are not answered: their SYNs are dropped on the way or "
                    "at the destination, not refused (a refusal fails at "
                    "once)";
  if (f.rate) {
    why += "; " + Number(*f.rate) + " SYN retransmits/s";
  }
  f.why = why;
  std::string check = "whether " + to +
                      " is up and reachable (ping, traceroute), firewalls "
                      "and security groups toward it";
  if (const auto retries = s.Sysctl("tcp_syn_retries")) {
    // Initial RTO 1 s, doubled each retry: 1 + 2 + ... + 2^n seconds.
    check += "; without a connect timeout of their own, clients wait " +
             Number(std::pow(2.0, *retries + 1) - 1) + " s (" +
             Setting(s, "tcp_syn_retries") + ")";
  }
  f.check = check;
}

}  // namespace

void ExplainClient(Finding& f, const Snapshot& s) {
  if (f.kind == FindingKind::kPortExhaustion) {
    PortExhaustion(f, s);
  } else {
    SynSent(f, s);
  }
}

}  // namespace tcpstated
