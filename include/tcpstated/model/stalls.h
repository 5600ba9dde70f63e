#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tcpstated {

// Connections that stopped moving, as the dump shows them for every socket
// (idiag_rqueue, idiag_wqueue, idiag_timer, idiag_retrans) at no extra
// cost: counted for ESTABLISHED and CLOSE_WAIT sockets.
enum class StallKind : std::uint8_t {
  kUnread,          // data received that the program has not read
  kRetransmitting,  // data sent, unacknowledged, under the retransmit timer
  kZeroWindow,      // the peer's window is zero: zero-window probes
};
inline constexpr std::size_t kStallKindCount = 3;
inline constexpr std::array<StallKind, kStallKindCount> kAllStallKinds = {
    StallKind::kUnread, StallKind::kRetransmitting, StallKind::kZeroWindow};

inline std::string_view StallKindName(StallKind kind) {
  switch (kind) {
    case StallKind::kUnread:
      return "unread";
    case StallKind::kRetransmitting:
      return "retransmitting";
    case StallKind::kZeroWindow:
      return "zero_window";
  }
  return "?";
}

// Stalled sockets and the bytes queued on them, by kind.
struct StallCounts {
  std::array<std::uint64_t, kStallKindCount> sockets{};
  std::array<std::uint64_t, kStallKindCount> bytes{};
};

}  // namespace tcpstated
