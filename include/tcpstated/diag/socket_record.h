#pragma once

#include <array>
#include <cstdint>

#include "tcpstated/model/family.h"
#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

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
  // idiag_timer: 0 none, 1 retransmit (or loss probe), 2 keepalive, 3
  // TIME_WAIT, 4 zero-window probe; idiag_retrans: retransmits so far
  // (for timer 1) or probes (for timer 4).
  std::uint8_t timer = 0;
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
