#pragma once

#include <chrono>
#include <cstdint>

namespace tcpstated {

// When a condition is a finding. Where the host has a limit, the rule is a
// share of it, so that the same rule fits a small VM and a large server;
// counts only where no limit exists. Every field is a key of the config
// file and a flag of `run` and `report` (the name in the comment).
struct FindingRules {
  // findings.for: how long a condition must hold before the daemon
  // reports it (a burst is not a finding). The report, with one look,
  // judges without it.
  std::chrono::milliseconds hold{60'000};

  // pileup.min-sockets: CLOSE_WAIT and SYN_SENT sockets of one port that
  // make a finding. Neither has a limit to be judged against: a leak grows
  // until something else breaks, and a healthy client has a handful of
  // connects in flight.
  std::uint64_t min_sockets = 100;
  // pileup.closing.min-sockets: the same for FIN_WAIT1, FIN_WAIT2,
  // LAST_ACK and CLOSING, which a busy server holds by the hundred for a
  // few seconds each.
  std::uint64_t closing_min_sockets = 1000;
  // stall.min-sockets: stalled connections (unread, peer not reading,
  // unacknowledged) of one port.
  std::uint64_t stall_min_sockets = 20;

  // ephemeral-ports.min-share: sockets toward one destination (address and
  // port), as a share of the ephemeral port range: connect() fails with
  // EADDRNOTAVAIL at 1. Whatever state they are in (TIME_WAIT included).
  double port_min_share = 0.6;

  // time-wait.min-share: TIME_WAIT sockets of one listening port, as a
  // share of net.ipv4.tcp_max_tw_buckets (beyond which the kernel destroys
  // them early); with
  // time-wait.min-per-established: at least this many per ESTABLISHED
  // socket of the port. A server that closes first keeps each connection
  // 60 s in TIME_WAIT: 10 per open connection means connections live 6 s
  // or less (keep-alive off), not a busy server with long connections.
  double time_wait_min_share = 0.05;
  double time_wait_per_established = 10;

  // The accept queue and the TIME_WAIT table have no threshold: at their
  // limit, or overflowing (ListenOverflows, TCPTimeWaitOverflow rising),
  // connections are already being dropped.

  // The smallest count a folded port must reach to be judged.
  std::uint64_t SmallestMinSockets() const;
};

}  // namespace tcpstated
