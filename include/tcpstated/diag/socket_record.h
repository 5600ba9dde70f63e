#pragma once

#include <array>
#include <cstdint>

#include "tcpstated/model/family.h"
#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

// idiag_timer: which of a socket's timers runs (inet_diag's numbering, as
// `ss -o` shows it).
enum class KernelTimer : std::uint8_t {
  kNone = 0,
  kRetransmit = 1,  // retransmission, or a tail loss probe
  kKeepalive = 2,
  kTimeWait = 3,
  kProbe = 4,  // zero-window probe (ICSK_TIME_PROBE0)
};

// One TCP socket as the kernel described it in a sock_diag dump. Ports are
// in host byte order; addresses stay in network byte order (IPv4 uses the
// first 4 bytes). Records are transient: the parser hands each one to a
// RecordSink and reuses the storage for the next.
struct SocketRecord {
  Family family = Family::kIpv4;
  TcpState state = TcpState::kEstablished;
  std::uint16_t local_port = 0;
  std::uint16_t remote_port = 0;
  // For LISTEN sockets: accept queue length and its limit (backlog).
  // For others: bytes in the receive and send queues.
  std::uint32_t rqueue = 0;
  std::uint32_t wqueue = 0;
  std::uint32_t uid = 0;
  KernelTimer timer = KernelTimer::kNone;
  // idiag_retrans: retransmits so far (kRetransmit) or probes (kProbe).
  std::uint8_t retransmits = 0;
  std::uint32_t inode = 0;  // 0 for TIME_WAIT, request and orphan sockets
  std::uint64_t cookie = 0;
  // cgroup v2 id of the program that created the socket (accepted sockets
  // inherit their listener's); 0 where the kernel has none (TIME_WAIT,
  // request and orphan sockets) or did not say.
  std::uint64_t cgroup_id = 0;
  // From INET_DIAG_INFO, when the dump asked for it: milliseconds since
  // the last ACK arrived (for an idle CLOSE_WAIT socket: since the FIN).
  bool has_tcp_info = false;
  std::uint32_t last_ack_recv_ms = 0;
  std::uint32_t unacked = 0;  // segments in flight, not yet acknowledged
  // The peer's advertised receive window (tcpi_snd_wnd, Linux 5.4+).
  bool has_send_window = false;
  std::uint32_t send_window = 0;
  std::array<std::uint8_t, 16> local_address{};
  std::array<std::uint8_t, 16> remote_address{};
};

// Receives records one at a time while a dump is parsed. Implementations
// must not throw: they run inside the receive loop.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void OnRecord(const SocketRecord& record) noexcept = 0;
};

}  // namespace tcpstated
