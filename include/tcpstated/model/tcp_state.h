#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpstated {

// The TCP states an operator sees, in the kernel's numbering order
// (include/net/tcp_states.h; diag/kernel_states.h maps the two). Request
// sockets (the kernel's TCP_NEW_SYN_RECV) are reported as kSynRecv.
enum class TcpState : std::uint8_t {
  kEstablished,
  kSynSent,
  kSynRecv,
  kFinWait1,
  kFinWait2,
  kTimeWait,
  kClose,
  kCloseWait,
  kLastAck,
  kListen,
  kClosing,
};

inline constexpr std::size_t kTcpStateCount = 11;

// Every state, in kernel order; iterate this instead of casting integers.
inline constexpr std::array<TcpState, kTcpStateCount> kAllTcpStates = {
    TcpState::kEstablished, TcpState::kSynSent,   TcpState::kSynRecv,
    TcpState::kFinWait1,    TcpState::kFinWait2,  TcpState::kTimeWait,
    TcpState::kClose,       TcpState::kCloseWait, TcpState::kLastAck,
    TcpState::kListen,      TcpState::kClosing,
};

// Lower snake case, as used in metric labels and JSON keys.
std::string_view StateName(TcpState state);

// The name `ss` and `netstat` print (ESTABLISHED, TIME_WAIT, ...).
std::string_view StateNetstatName(TcpState state);

std::optional<TcpState> StateFromName(std::string_view name);

constexpr std::size_t Index(TcpState state) {
  return static_cast<std::size_t>(state);
}

// Counts indexed by state.
using StateCounts = std::array<std::uint64_t, kTcpStateCount>;

std::uint64_t Total(const StateCounts& counts);
// sum += more, state by state.
void AddTo(StateCounts& sum, const StateCounts& more);

}  // namespace tcpstated
