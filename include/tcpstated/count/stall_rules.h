#pragma once

#include "tcpstated/diag/socket_record.h"
#include "tcpstated/model/stalls.h"

namespace tcpstated {

// Whether a connected socket (ESTABLISHED or CLOSE_WAIT) is stalled in the
// way `kind` says: data waiting to be read (rqueue), data sent and
// retransmitted without an acknowledgement (idiag_timer 1 with a
// retransmit made and wqueue), or zero-window probing (idiag_timer 4).
inline bool IsStalled(const SocketRecord& r, StallKind kind) {
  if (r.state != TcpState::kEstablished && r.state != TcpState::kCloseWait) {
    return false;
  }
  switch (kind) {
    case StallKind::kUnread:
      return r.rqueue > 0;
    case StallKind::kRetransmitting:
      return r.timer == 1 && r.retransmits > 0 && r.wqueue > 0;
    case StallKind::kZeroWindow:
      return r.timer == 4;
  }
  return false;
}

// The bytes a stalled socket has queued: received for kUnread, sent for
// the others.
inline std::uint32_t StalledBytes(const SocketRecord& r, StallKind kind) {
  return kind == StallKind::kUnread ? r.rqueue : r.wqueue;
}

}  // namespace tcpstated
