#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcpstated/model/ports.h"
#include "tcpstated/model/stalls.h"
#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

// A process holding some of the sockets looked for.
struct ProcessSockets {
  int pid = 0;
  std::string command;  // /proc/PID/comm
  std::uint64_t sockets = 0;
};

// "leaky-server[4242] (120), worker[4250] (3)": at most `max` processes,
// then "and N more".
std::string DescribeProcesses(const std::vector<ProcessSockets>& processes,
                              std::size_t max = 3);

// How one walk of /proc/*/fd went.
struct ProcessScanStats {
  std::uint64_t processes = 0;  // /proc/PID directories looked at
  // Processes whose fd table this process may not read (another user's,
  // without CAP_SYS_PTRACE): the holder may be among them.
  std::uint64_t unreadable = 0;
  std::uint64_t fds = 0;
  // Processes not walked: outside the sockets' cgroups, and every socket
  // was found before their turn came.
  std::uint64_t skipped = 0;
  bool complete = true;  // false: a bound (or a stop) ended the walk early
};

// Sockets of one state piling up on one classified port, or (with `stall`)
// stalled connections of the port.
struct Pileup {
  TcpState state = TcpState::kCloseWait;
  Direction direction = Direction::kInbound;
  std::optional<std::uint16_t> port;  // nullopt: the "other" row
  std::uint64_t sockets = 0;
  double share = 0;                // of all sockets
  std::optional<StallKind> stall;  // a stall flag, not a state pileup
  std::uint64_t bytes = 0;         // queued on stalled sockets
  // Who holds the sockets, when asked for (see PileupTracer): never in
  // metrics, where a pid would be a label of unbounded cardinality.
  std::vector<ProcessSockets> processes;
};

}  // namespace tcpstated
