#include "tcpstated/detect/diagnosis.h"

#include <gtest/gtest.h>

#include "record_builders.h"

namespace tcpstated {
namespace {

// Most rules here do not look at the share.
Pileup Make(TcpState state, Direction direction, std::uint16_t port,
            std::uint64_t sockets = 500) {
  return testing::MakePileup(state, direction, port, sockets, 0);
}

Snapshot WithSysctls(std::vector<SysctlValue> sysctls) {
  Snapshot s;
  s.sysctls = std::move(sysctls);
  return s;
}

bool Says(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

TEST(DiagnoseTest, NamesTheCauseAndTheFirstCheck) {
  const Snapshot none;
  const auto cw =
      Diagnose(Make(TcpState::kCloseWait, Direction::kInbound, 8080), none);
  EXPECT_TRUE(Says(cw, "never calls close()"));
  EXPECT_TRUE(Says(cw, "8080"));
  EXPECT_TRUE(
      Says(Diagnose(Make(TcpState::kTimeWait, Direction::kInbound, 443), none),
           "keep-alive"));
  EXPECT_TRUE(Says(
      Diagnose(Make(TcpState::kTimeWait, Direction::kOutbound, 6379), none),
      "pooling"));
  EXPECT_TRUE(
      Says(Diagnose(Make(TcpState::kSynRecv, Direction::kInbound, 80), none),
           "SYN flood"));
  // Grouped pileups name their ports.
  EXPECT_TRUE(
      Says(Diagnose(Make(TcpState::kCloseWait, Direction::kInbound, 7100), none,
                    "7100-7129"),
           "serving ports 7100-7129"));
}

TEST(DiagnoseTest, OutboundTimeWaitSaysWhatTcpTwReuseIsAndDoes) {
  const auto p = Make(TcpState::kTimeWait, Direction::kOutbound, 5432);
  const auto off = Diagnose(p, WithSysctls({{"tcp_tw_reuse", 2}}));
  EXPECT_TRUE(Says(off, "net.ipv4.tcp_tw_reuse is 2: 1 lets new outbound"));
  const auto on = Diagnose(p, WithSysctls({{"tcp_tw_reuse", 1}}));
  EXPECT_TRUE(Says(on, "tcp_tw_reuse is already 1"));
  EXPECT_FALSE(Says(on, "1 lets"));
}

TEST(DiagnoseTest, TimeWaitAtTheBucketLimitSaysTheKernelIsDestroyingThem) {
  auto s = WithSysctls({{"tcp_max_tw_buckets", 1000}});
  s.families[0][Index(TcpState::kTimeWait)] = 950;
  const auto p = Make(TcpState::kTimeWait, Direction::kInbound, 443);
  EXPECT_TRUE(Says(Diagnose(p, s),
                   "TIME_WAIT is near net.ipv4.tcp_max_tw_buckets is 1000"));
  s.kernel[static_cast<std::size_t>(KernelCounter::kTimeWaitOverflows)] = 42;
  EXPECT_TRUE(
      Says(Diagnose(p, s), "already destroying TIME_WAIT sockets early: 42"));
}

TEST(DiagnoseTest, TcpTwRecycleIsNamedAsRemoved) {
  EXPECT_TRUE(Says(
      Diagnose(Make(TcpState::kTimeWait, Direction::kOutbound, 80), Snapshot{}),
      "tcp_tw_recycle, which old recipes set, was removed from "
      "Linux in 4.12"));
}

TEST(DiagnoseTest, AFullAcceptQueueCappedBySomaxconnSaysSo) {
  auto s = WithSysctls({{"somaxconn", 4096}, {"tcp_syncookies", 1}});
  s.listen_queues = {{8080, 4097, 4096}};
  const auto text =
      Diagnose(Make(TcpState::kSynRecv, Direction::kInbound, 8080), s);
  EXPECT_TRUE(Says(text, "accept queue is full (4097 waiting, backlog 4096)"));
  EXPECT_TRUE(Says(text, "capped by net.core.somaxconn (4096)"));
  s.listen_queues = {{8080, 10, 511}};
  EXPECT_FALSE(
      Says(Diagnose(Make(TcpState::kSynRecv, Direction::kInbound, 8080), s),
           "somaxconn"));
}

TEST(DiagnoseTest, SynSentNamesTheRetriesAndHowLongTheyTake) {
  const auto text =
      Diagnose(Make(TcpState::kSynSent, Direction::kOutbound, 5432),
               WithSysctls({{"tcp_syn_retries", 6}}));
  EXPECT_TRUE(Says(text, "not answered"));
  EXPECT_TRUE(Says(text, "net.ipv4.tcp_syn_retries is 6 (about 127 s)"));
}

TEST(DiagnoseTest, FinWait2NamesTheFinTimeoutAndShutdownWithoutClose) {
  const auto text = Diagnose(Make(TcpState::kFinWait2, Direction::kInbound, 80),
                             WithSysctls({{"tcp_fin_timeout", 60}}));
  EXPECT_TRUE(Says(text, "net.ipv4.tcp_fin_timeout is 60 s"));
  EXPECT_TRUE(Says(text, "shutdown() without close()"));
}

TEST(DiagnoseTest, StallsSayWhoStoppedAndHowMuchIsQueued) {
  Pileup p = Make(TcpState::kEstablished, Direction::kInbound, 9000, 60);
  p.stall = StallKind::kUnread;
  p.bytes = 123456;
  EXPECT_TRUE(
      Says(Diagnose(p, Snapshot{}), "the program has not read (123456 bytes"));
  p.stall = StallKind::kRetransmitting;
  EXPECT_TRUE(Says(Diagnose(p, Snapshot{}), "not acknowledged"));
  p.stall = StallKind::kZeroWindow;
  EXPECT_TRUE(Says(Diagnose(p, Snapshot{}), "zero window"));
}

}  // namespace
}  // namespace tcpstated
