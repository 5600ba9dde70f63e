#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpstated/model/churn.h"
#include "tcpstated/model/family.h"
#include "tcpstated/model/owners.h"
#include "tcpstated/model/ports.h"
#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

// A condition an operator must act on. Each kind is judged against the
// host's own limits where one exists (the listen backlog, the ephemeral
// port range, tcp_max_tw_buckets).
enum class FindingKind : std::uint8_t {
  kAcceptQueue,     // a listener's accept queue is full or overflowing
  kPortExhaustion,  // ephemeral ports toward one destination running out
  kTimeWaitTable,   // TIME_WAIT sockets at tcp_max_tw_buckets
  kSynSent,         // connects not answered
  kSynRecv,         // handshakes not completing
  kCloseWait,       // connections the peer closed, not closed here
  kTimeWait,        // a server closing first, connection after connection
  kFinWait1,        // our FIN not acknowledged
  kFinWait2,        // the peer's FIN not coming
  kLastAck,         // our FIN, after the peer's, not acknowledged
  kClosing,         // simultaneous closes, acknowledgements lost
  kUnread,          // data received that the program does not read
  kPeerNotReading,  // the peer advertises a zero window
  kUnacknowledged,  // data sent that is not acknowledged (or not sent)
};
inline constexpr std::size_t kFindingKindCount = 14;

// "accept_queue", "port_exhaustion", "close_wait", ...: the kind label of
// tcpstate_finding and the JSON value.
std::string_view FindingKindName(FindingKind kind);
// What it is, for people: "accept queue full", "ephemeral ports running
// out", "CLOSE_WAIT pileup", ...
std::string_view FindingKindTitle(FindingKind kind);
// The pileup kind of a state, if the state has one.
std::optional<FindingKind> PileupKindOf(TcpState state);

enum class Severity : std::uint8_t {
  kWarning,   // piling up toward a limit, or stuck
  kCritical,  // already failing: connections dropped, connects refused
};
std::string_view SeverityName(Severity severity);

// What the limit a finding is judged against is.
enum class LimitSource : std::uint8_t {
  kNone,
  kBacklog,        // the backlog the program passed to listen()
  kSomaxconn,      // net.core.somaxconn, which capped that backlog
  kPortRange,      // net.ipv4.ip_local_port_range (ports toward one peer)
  kTimeWaitTable,  // net.ipv4.tcp_max_tw_buckets
};

// What the processes named for a finding do with its sockets.
enum class HolderRole : std::uint8_t {
  kNone,
  kListening,   // hold the listener of the port (the server)
  kConnecting,  // hold the client sockets (toward the destination)
  kHolding,     // hold the very sockets of the finding
};
std::string_view HolderRoleName(HolderRole role);

// A process holding some of the sockets looked for.
struct ProcessSockets {
  int pid = 0;
  std::string command;  // /proc/PID/comm (sanitized)
  std::uint64_t sockets = 0;
  // /proc/PID/stat's state: R running, S sleeping, D uninterruptible, T
  // stopped, t traced, Z zombie; '?' unknown.
  char state = '?';
};

// Whether a process in `state` is not running code at all (stopped by a
// signal or a debugger, or dead).
inline bool IsHalted(char state) {
  return state == 'T' || state == 't' || state == 'Z' || state == 'X';
}

// "leaky-server[4242] (120), worker[4250] (3, stopped)": at most `max`
// processes, then "and N more".
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

// A remote address and how many of a finding's sockets go to it.
struct AddressCount {
  Family family = Family::kIpv4;
  std::array<std::uint8_t, 16> address{};
  std::uint64_t sockets = 0;
  std::string Text() const;
};

// What tracing a finding to its sockets found (host/'s FindingTracer): a
// targeted dump of the finding's sockets and one walk of /proc.
struct Evidence {
  bool traced = false;
  HolderRole role = HolderRole::kNone;
  std::vector<ProcessSockets> processes;  // most sockets first
  std::uint64_t sockets = 0;     // of the finding's, seen by the trace dump
  std::uint64_t orphans = 0;     // of those, held by no process (no inode)
  std::uint64_t fin_unread = 0;  // CLOSE_WAIT: the peer's FIN not yet read
  std::vector<AddressCount> destinations;  // outbound: busiest first
  std::optional<ProcessScanStats> scan;
};

// One condition, where it is, who is behind it, how much, and why.
struct Finding {
  FindingKind kind = FindingKind::kCloseWait;
  Severity severity = Severity::kWarning;
  Direction direction = Direction::kInbound;
  // The port(s): the listening port inbound, the remote port outbound.
  // Empty for a condition of the whole namespace (kTimeWaitTable); several
  // when findings of one program were grouped (see GroupFindings).
  std::vector<std::uint16_t> ports;
  // Outbound, toward one destination: its address (kPortExhaustion).
  std::optional<AddressCount> destination;

  // How much.
  std::uint64_t sockets = 0;  // in the condition
  double share = 0;           // of all sockets
  std::uint64_t limit = 0;    // the limit judged against; 0: none
  LimitSource limit_source = LimitSource::kNone;
  std::uint64_t bytes = 0;  // queued, for stalls
  // What else the counts say: TIME_WAIT among a destination's sockets,
  // ESTABLISHED beside a port's TIME_WAIT, the accept queue's length.
  std::uint64_t detail = 0;
  // The rate of the kernel counter that confirms it (ListenOverflows,
  // TCPSynRetrans, TW entered, ...) per second, when two readings exist.
  std::optional<double> rate;
  // The port's churn over the same interval, when the event source counts
  // it (collect.events = bpf): set by Explain, cited in `why`.
  std::optional<ChurnRate> churn;

  // Who: units or containers from the dump's cgroups, and processes.
  std::vector<PortOwner> owners;
  Evidence evidence;

  // Why: one diagnosis (a short id of its branch, for tests and JSON) and
  // what to check; set by Explain.
  std::string cause;
  std::string why;
  std::string check;

  // When it was first seen (the daemon's history; the report's collection
  // time).
  std::chrono::system_clock::time_point since{};

  std::optional<std::uint16_t> port() const {
    if (ports.empty()) return std::nullopt;
    return ports.front();
  }
};

}  // namespace tcpstated
