// Which conditions are findings: judged against the host's own limits,
// so that the failures operators meet are flagged and a busy, healthy host
// is not.
#include "tcpstated/detect/judge.h"

#include <gtest/gtest.h>

#include "snapshot_builder.h"

namespace tcpstated {
namespace {

using testing::SnapshotBuilder;
constexpr auto kIn = Direction::kInbound;
constexpr auto kOut = Direction::kOutbound;

std::vector<Finding> JudgeDefaults(const SnapshotBuilder& b) {
  return Judge(b.Get(), FindingRules{});
}

TEST(JudgeTest, AFullAcceptQueueIsCriticalAndNamesItsLimit) {
  SnapshotBuilder b;
  b.Listener(80, 9, 8).Sysctl("somaxconn", 4096);
  b.Port(kOut, 80, TcpState::kSynSent, 92);  // its own clients, waiting
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 1u) << "the clients are the queue's story";
  const Finding& f = findings[0];
  EXPECT_EQ(f.kind, FindingKind::kAcceptQueue);
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_EQ(f.ports, std::vector<std::uint16_t>{80});
  EXPECT_EQ(f.sockets, 9u);
  EXPECT_EQ(f.limit, 8u);
  EXPECT_EQ(f.limit_source, LimitSource::kBacklog);
  EXPECT_EQ(f.detail, 92u);
}

TEST(JudgeTest, ABacklogEqualToSomaxconnWasCappedByIt) {
  SnapshotBuilder b;
  b.Listener(8080, 8, 8).Sysctl("somaxconn", 8);
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].limit_source, LimitSource::kSomaxconn);
  EXPECT_EQ(findings[0].severity, Severity::kWarning) << "at, not over";
}

TEST(JudgeTest, OverflowsWithNoQueueFullNowPointAtTheFullestQueue) {
  SnapshotBuilder b;
  b.Listener(80, 1, 128).Listener(81, 3, 4).Listener(82, 0, 8);
  b.Rising(KernelCounter::kListenOverflows, 95);
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].ports, std::vector<std::uint16_t>{81});
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_DOUBLE_EQ(*findings[0].rate, 95);
}

TEST(JudgeTest, PortsRunningOutTowardOneDestinationWhateverTheirState) {
  // redis-benchmark -k 0 with a 1000-port range: 993 taken, mostly
  // TIME_WAIT, far below any TIME_WAIT count that means trouble.
  SnapshotBuilder b;
  b.Range(40000, 40999).Destination({10, 77, 0, 1}, 6379, 993, 990);
  b.Port(kOut, 6379, TcpState::kTimeWait, 990);
  b.Port(kOut, 6379, TcpState::kEstablished, 3);
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.kind, FindingKind::kPortExhaustion);
  EXPECT_EQ(f.severity, Severity::kCritical);
  ASSERT_TRUE(f.destination);
  EXPECT_EQ(f.destination->Text(), "10.77.0.1");
  EXPECT_EQ(f.limit, 1000u);
  EXPECT_EQ(f.detail, 990u);
}

TEST(JudgeTest, ServerSideTimeWaitOfShortConnectionsIsAFinding) {
  // nginx with keep-alive off at ~9k requests/s: 14,063 TIME_WAIT on :80.
  SnapshotBuilder b;
  b.Listener(80, 0, 511).Sysctl("tcp_max_tw_buckets", 131072);
  b.Port(kIn, 80, TcpState::kTimeWait, 14063);
  b.Port(kIn, 80, TcpState::kEstablished, 40);
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, FindingKind::kTimeWait);
  EXPECT_EQ(findings[0].detail, 40u);
  EXPECT_EQ(findings[0].limit, 131072u);
}

TEST(JudgeTest, ABusyServerWithLongConnectionsIsNotFlagged) {
  // As much TIME_WAIT, but 5,000 connections open: they live a minute,
  // keep-alive works.
  SnapshotBuilder b;
  b.Listener(443, 0, 4096).Sysctl("tcp_max_tw_buckets", 131072);
  b.Port(kIn, 443, TcpState::kTimeWait, 14063);
  b.Port(kIn, 443, TcpState::kEstablished, 5000);
  b.Range(32768, 60999).Destination({10, 0, 0, 9}, 5432, 400, 380);
  EXPECT_TRUE(JudgeDefaults(b).empty());
}

TEST(JudgeTest, ManyCloseWaitsSpreadThinAndTheirFinsAreNoStall) {
  // 15,000 CLOSE_WAIT over 250 ports, 60 each: under every threshold. Each
  // has its FIN's one byte of receive queue, which the dump's counter no
  // longer takes for unread data (see stall_rules_test).
  SnapshotBuilder b;
  for (std::uint16_t p = 9000; p < 9250; ++p) {
    b.Port(kIn, p, TcpState::kCloseWait, 60);
  }
  EXPECT_TRUE(JudgeDefaults(b).empty());
}

TEST(JudgeTest, TimeWaitAtTheTableLimitIsCritical) {
  SnapshotBuilder b;
  b.Sysctl("tcp_max_tw_buckets", 1000);
  b.Port(kOut, 443, TcpState::kTimeWait, 950);
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, FindingKind::kTimeWaitTable);
  EXPECT_EQ(findings[0].ports, std::vector<std::uint16_t>{443});
}

TEST(JudgeTest, PileupsOfStatesWithoutALimitUseTheirCounts) {
  SnapshotBuilder b;
  b.Port(kIn, 11211, TcpState::kCloseWait, 150);
  b.Port(kOut, 8080, TcpState::kSynSent, 201);
  b.Port(kIn, 80, TcpState::kFinWait2, 999);  // under 1000
  b.Port(kIn, 81, TcpState::kLastAck, 1000);
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].kind, FindingKind::kLastAck);  // most sockets
  EXPECT_EQ(findings[1].kind, FindingKind::kSynSent);
  EXPECT_EQ(findings[2].kind, FindingKind::kCloseWait);
}

TEST(JudgeTest, SynRecvIsJudgedAgainstTheListenersBacklog) {
  SnapshotBuilder b;
  b.Listener(443, 0, 512);
  b.Port(kIn, 443, TcpState::kSynRecv, 255);
  EXPECT_TRUE(JudgeDefaults(b).empty());
  b.Port(kIn, 443, TcpState::kSynRecv, 1);
  ASSERT_EQ(JudgeDefaults(b).size(), 1u);
  EXPECT_EQ(JudgeDefaults(b)[0].limit, 512u);
}

TEST(JudgeTest, StallsTellWhichEndIsStuck) {
  SnapshotBuilder b;
  b.Stalled(kIn, 6379, StallKind::kZeroWindow, 30, 3000);
  b.Stalled(kIn, 6380, StallKind::kNotSent, 25, 2500);
  b.Stalled(kIn, 6381, StallKind::kUnread, 19, 100);  // under 20
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].kind, FindingKind::kPeerNotReading);
  EXPECT_EQ(findings[0].bytes, 3000u);
  EXPECT_EQ(findings[1].kind, FindingKind::kUnacknowledged);
  EXPECT_EQ(findings[1].detail, 25u);  // none of it left this host
}

TEST(JudgeTest, UnreadDataOfACloseWaitPileupIsThatPileupsStory) {
  SnapshotBuilder b;
  b.Port(kIn, 11211, TcpState::kCloseWait, 150);
  b.Stalled(kIn, 11211, StallKind::kUnread, 150, 1500);
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, FindingKind::kCloseWait);
}

TEST(JudgeTest, OtherIsNeverAPortButFoldedPortsAreJudged) {
  SnapshotBuilder b;
  b.Port(kIn, 7100, TcpState::kCloseWait, 150).Fold(kIn, 7100);
  const auto findings = JudgeDefaults(b);
  ASSERT_EQ(findings.size(), 1u) << "once, for the real port";
  EXPECT_EQ(findings[0].ports, std::vector<std::uint16_t>{7100});
}

TEST(JudgeTest, IdsTellFindingsApartByKindPortAndDestination) {
  Finding a, b;
  a.ports = b.ports = {6379};
  a.kind = b.kind = FindingKind::kPortExhaustion;
  a.destination = AddressCount{Family::kIpv4, {10, 0, 0, 1}, 1};
  b.destination = AddressCount{Family::kIpv4, {10, 0, 0, 2}, 1};
  EXPECT_NE(IdOf(a), IdOf(b));
  b.destination = a.destination;
  EXPECT_EQ(IdOf(a), IdOf(b));
}

}  // namespace
}  // namespace tcpstated
