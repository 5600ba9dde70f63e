#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tcpstated {

// Connections that stopped moving, as a dump shows them for every socket
// (idiag_rqueue, idiag_wqueue, idiag_timer, idiag_retrans): counted for
// ESTABLISHED and CLOSE_WAIT sockets. Which end is stuck differs by kind.
enum class StallKind : std::uint8_t {
  // Data received that the program has not read (in CLOSE_WAIT, beyond the
  // peer's FIN, which takes one byte of sequence space): this end.
  kUnread,
  // Data sent and retransmitted, not acknowledged: the path or the peer.
  kRetransmitting,
  // Zero-window probing: the peer advertises a zero window (it stopped
  // reading). Without tcp_info (replayed dumps) every probing socket
  // counts here.
  kZeroWindow,
  // Probing while the peer's window is open and nothing is in flight: our
  // segments never leave this host (a local firewall or qdisc drops them).
  // Told from kZeroWindow by tcp_info (tcpi_snd_wnd), read only for the
  // probing sockets.
  kNotSent,
};
inline constexpr std::size_t kStallKindCount = 4;
inline constexpr std::array<StallKind, kStallKindCount> kAllStallKinds = {
    StallKind::kUnread, StallKind::kRetransmitting, StallKind::kZeroWindow,
    StallKind::kNotSent};

inline std::string_view StallKindName(StallKind kind) {
  switch (kind) {
    case StallKind::kUnread:
      return "unread";
    case StallKind::kRetransmitting:
      return "retransmitting";
    case StallKind::kZeroWindow:
      return "zero_window";
    case StallKind::kNotSent:
      return "not_sent";
  }
  return "?";
}

// Stalled sockets and the bytes queued on them, by kind.
struct StallCounts {
  std::array<std::uint64_t, kStallKindCount> sockets{};
  std::array<std::uint64_t, kStallKindCount> bytes{};

  std::uint64_t Sockets(StallKind kind) const {
    return sockets[static_cast<std::size_t>(kind)];
  }
  std::uint64_t Bytes(StallKind kind) const {
    return bytes[static_cast<std::size_t>(kind)];
  }
  void Add(StallKind kind, std::uint64_t n, std::uint64_t queued) {
    sockets[static_cast<std::size_t>(kind)] += n;
    bytes[static_cast<std::size_t>(kind)] += queued;
  }
  void AddAll(const StallCounts& more) {
    for (std::size_t k = 0; k < kStallKindCount; ++k) {
      sockets[k] += more.sockets[k];
      bytes[k] += more.bytes[k];
    }
  }
};

}  // namespace tcpstated
