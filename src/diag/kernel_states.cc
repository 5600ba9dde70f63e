#include "tcpstated/diag/kernel_states.h"

namespace tcpstated {
namespace {

// include/net/tcp_states.h: TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11, in
// TcpState's order; TCP_NEW_SYN_RECV = 12 (request sockets; inet_diag
// reports them as TCP_SYN_RECV, but a recorded or future dump may carry the
// raw value).
constexpr std::uint8_t kKernelEstablished = 1;
constexpr std::uint8_t kKernelClosing = 11;
constexpr std::uint8_t kKernelNewSynRecv = 12;

constexpr std::uint8_t KernelNumber(TcpState state) {
  return static_cast<std::uint8_t>(Index(state) + kKernelEstablished);
}

}  // namespace

std::optional<TcpState> StateFromKernel(std::uint8_t kernel_state) {
  if (kernel_state >= kKernelEstablished && kernel_state <= kKernelClosing) {
    return static_cast<TcpState>(kernel_state - kKernelEstablished);
  }
  if (kernel_state == kKernelNewSynRecv) return TcpState::kSynRecv;
  return std::nullopt;
}

std::uint32_t KernelStateBits(TcpState state) {
  std::uint32_t bits = 1u << KernelNumber(state);
  if (state == TcpState::kSynRecv) bits |= 1u << kKernelNewSynRecv;
  return bits;
}

std::uint32_t AllKernelStateBits() {
  std::uint32_t bits = 0;
  for (TcpState state : kAllTcpStates) bits |= KernelStateBits(state);
  return bits;
}

}  // namespace tcpstated
