#include "tcpstated/diag/kernel_states.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

TEST(KernelStatesTest, KernelNumbersMapInOrder) {
  EXPECT_EQ(StateFromKernel(1), TcpState::kEstablished);
  EXPECT_EQ(StateFromKernel(6), TcpState::kTimeWait);
  EXPECT_EQ(StateFromKernel(8), TcpState::kCloseWait);
  EXPECT_EQ(StateFromKernel(10), TcpState::kListen);
  EXPECT_EQ(StateFromKernel(11), TcpState::kClosing);
  EXPECT_EQ(StateFromKernel(12), TcpState::kSynRecv);
  EXPECT_EQ(StateFromKernel(0), std::nullopt);
  EXPECT_EQ(StateFromKernel(13), std::nullopt);
  EXPECT_EQ(StateFromKernel(255), std::nullopt);
}

TEST(KernelStatesTest, StateBitsAreTheKernelNumbersAndSynRecvAsksForRequests) {
  EXPECT_EQ(KernelStateBits(TcpState::kEstablished), 1u << 1);
  EXPECT_EQ(KernelStateBits(TcpState::kCloseWait), 1u << 8);
  EXPECT_EQ(KernelStateBits(TcpState::kListen), 1u << 10);
  EXPECT_EQ(KernelStateBits(TcpState::kSynRecv), (1u << 3) | (1u << 12));
  // TCP_ESTABLISHED .. TCP_NEW_SYN_RECV; not bit 0, not TCP_BOUND_INACTIVE.
  EXPECT_EQ(AllKernelStateBits(), 0x1ffeu);
}

}  // namespace
}  // namespace tcpstated
