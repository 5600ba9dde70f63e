#pragma once

#include "tcpstated/model/snapshot.h"

namespace tcpstated::testing {

// What the `mixed-*.dump` fixtures hold (tests/fixtures/README.md).
inline StateCounts MixedIpv4() {
  StateCounts c{};
  c[Index(TcpState::kListen)] = 3;
  c[Index(TcpState::kEstablished)] = 10;
  c[Index(TcpState::kSynRecv)] = 2;
  c[Index(TcpState::kSynSent)] = 2;
  c[Index(TcpState::kTimeWait)] = 4;
  return c;
}

inline StateCounts MixedIpv6() {
  StateCounts c{};
  c[Index(TcpState::kListen)] = 1;
  c[Index(TcpState::kEstablished)] = 4;
  c[Index(TcpState::kCloseWait)] = 2;
  c[Index(TcpState::kFinWait2)] = 2;
  return c;
}

}  // namespace tcpstated::testing
