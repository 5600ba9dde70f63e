#pragma once

#include "tcpstated/socket_record.h"

namespace tcpstated::testing {

inline SocketRecord Record(TcpState state, std::uint16_t local_port,
                           std::uint16_t remote_port,
                           Family family = Family::kIpv4) {
  SocketRecord r;
  r.family = family;
  r.state = state;
  r.local_port = local_port;
  r.remote_port = remote_port;
  return r;
}

inline SocketRecord Listener(std::uint16_t port, std::uint32_t queued,
                             std::uint32_t backlog,
                             Family family = Family::kIpv4) {
  SocketRecord r = Record(TcpState::kListen, port, 0, family);
  r.rqueue = queued;
  r.wqueue = backlog;
  return r;
}

}  // namespace tcpstated::testing
