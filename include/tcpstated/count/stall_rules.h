#pragma once

#include "tcpstated/diag/socket_record.h"
#include "tcpstated/model/stalls.h"

namespace tcpstated {

// Bytes received that the program has not read. In CLOSE_WAIT the peer's
// FIN takes one byte of sequence space, which idiag_rqueue counts until
// the program reads the end of the stream: that byte is not data.
inline std::uint32_t UnreadBytes(const SocketRecord& r) {
  if (r.state == TcpState::kCloseWait) return r.rqueue > 0 ? r.rqueue - 1 : 0;
  return r.rqueue;
}

// Whether any stall kind can apply: a couple of comparisons that nearly
// every socket fails, so that the rest is never called for them.
inline bool MayBeStalled(const SocketRecord& r) {
  return r.rqueue > 1 || (r.rqueue == 1 && r.state != TcpState::kCloseWait) ||
         r.timer == KernelTimer::kRetransmit || r.timer == KernelTimer::kProbe;
}

// Whether a connected socket (ESTABLISHED or CLOSE_WAIT) is stalled the
// way `kind` says (see StallKind). Probing sockets are kNotSent only when
// tcp_info says the peer's window is open; otherwise kZeroWindow.
inline bool IsStalled(const SocketRecord& r, StallKind kind) {
  if (r.state != TcpState::kEstablished && r.state != TcpState::kCloseWait) {
    return false;
  }
  const bool probing = r.timer == KernelTimer::kProbe;
  const bool window_open = r.has_send_window && r.send_window > 0;
  switch (kind) {
    case StallKind::kUnread:
      return UnreadBytes(r) > 0;
    case StallKind::kRetransmitting:
      return r.timer == KernelTimer::kRetransmit && r.retransmits > 0 &&
             r.wqueue > 0;
    case StallKind::kZeroWindow:
      return probing && !window_open;
    case StallKind::kNotSent:
      return probing && window_open;
  }
  return false;
}

// The bytes a stalled socket has queued: received for kUnread, sent for
// the others.
inline std::uint32_t StalledBytes(const SocketRecord& r, StallKind kind) {
  return kind == StallKind::kUnread ? UnreadBytes(r) : r.wqueue;
}

}  // namespace tcpstated
