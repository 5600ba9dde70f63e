#pragma once

#include <cstdint>
#include <optional>

#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

// The kernel's numbering of TCP states (include/net/tcp_states.h) and the
// state bits of an inet_diag request's idiag_states: bit N asks for the
// sockets in kernel state N. The one place that knows the layout.

// Maps a kernel idiag_state value to a TcpState; nullopt for values that
// are not TCP connection states (e.g. TCP_BOUND_INACTIVE on newer kernels).
std::optional<TcpState> StateFromKernel(std::uint8_t kernel_state);

// The idiag_states bit that asks for sockets in `state`. For kSynRecv it
// covers both full SYN_RECV sockets and request sockets (TCP_NEW_SYN_RECV).
std::uint32_t KernelStateBits(TcpState state);

// Every connection state: TCP_ESTABLISHED (1) to TCP_CLOSING (11) and
// TCP_NEW_SYN_RECV (12). Bit 0 is unused, and TCP_BOUND_INACTIVE (13,
// Linux 6.5+: bound but never connected or listening) is no connection.
std::uint32_t AllKernelStateBits();

}  // namespace tcpstated
