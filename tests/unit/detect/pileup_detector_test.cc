#include "tcpstated/detect/pileup_detector.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

Snapshot WithRow(Direction direction, std::uint16_t port, TcpState state,
                 std::uint64_t sockets, std::uint64_t other_sockets = 0) {
  Snapshot s;
  PortRow row{direction, port, {}, {}};
  row.states[Index(state)] = sockets;
  s.ports.push_back(row);
  s.families[0][Index(state)] = sockets;
  s.families[0][Index(TcpState::kEstablished)] = other_sockets;
  return s;
}

PileupRules CloseWaitRule(std::uint64_t min, double share, int sustain) {
  PileupRules rules;
  rules.by_state[Index(TcpState::kCloseWait)] = PileupRule{min, share, sustain};
  return rules;
}

TEST(PileupDetectorTest, FlagsOnlyAfterTheThresholdIsSustained) {
  PileupDetector detector(CloseWaitRule(10, 0, 3));
  const auto leak =
      WithRow(Direction::kInbound, 8080, TcpState::kCloseWait, 50);
  EXPECT_TRUE(detector.Update(leak).started.empty());
  EXPECT_TRUE(detector.Update(leak).started.empty());
  const auto changes = detector.Update(leak);
  ASSERT_EQ(changes.started.size(), 1u);
  EXPECT_EQ(changes.started[0].port, 8080);
  EXPECT_EQ(changes.started[0].sockets, 50u);
  EXPECT_EQ(detector.Active().size(), 1u);
  EXPECT_TRUE(detector.Update(leak).started.empty()) << "started once";
}

TEST(PileupDetectorTest, ADipBelowTheThresholdRestartsTheCount) {
  PileupDetector detector(CloseWaitRule(10, 0, 2));
  detector.Update(WithRow(Direction::kInbound, 8080, TcpState::kCloseWait, 50));
  detector.Update(WithRow(Direction::kInbound, 8080, TcpState::kCloseWait, 5));
  EXPECT_TRUE(
      detector
          .Update(WithRow(Direction::kInbound, 8080, TcpState::kCloseWait, 50))
          .started.empty());
}

TEST(PileupDetectorTest, ClearsOnceWhenItDropsBelow) {
  PileupDetector detector(CloseWaitRule(10, 0, 1));
  detector.Update(
      WithRow(Direction::kOutbound, 5432, TcpState::kCloseWait, 50));
  const auto changes = detector.Update(
      WithRow(Direction::kOutbound, 5432, TcpState::kCloseWait, 3));
  ASSERT_EQ(changes.cleared.size(), 1u);
  EXPECT_EQ(changes.cleared[0].direction, Direction::kOutbound);
  EXPECT_TRUE(detector.Active().empty());
  EXPECT_TRUE(detector.Update(Snapshot{}).cleared.empty());
}

TEST(PileupDetectorTest, ShareOfAllSocketsMustAlsoBeMet) {
  PileupDetector detector(CloseWaitRule(10, 0.5, 1));
  EXPECT_TRUE(
      detector
          .Update(WithRow(Direction::kInbound, 80, TcpState::kCloseWait, 50,
                          /*other_sockets=*/100))
          .started.empty());
  EXPECT_EQ(
      detector
          .Update(WithRow(Direction::kInbound, 80, TcpState::kCloseWait, 50,
                          /*other_sockets=*/10))
          .started.size(),
      1u);
}

TEST(PileupDetectorTest, StatesWithoutARuleAreNeverFlagged) {
  PileupDetector detector(CloseWaitRule(1, 0, 1));
  EXPECT_TRUE(
      detector
          .Update(WithRow(Direction::kInbound, 80, TcpState::kTimeWait, 100000))
          .started.empty());
}

TEST(PileupDetectorTest, DefaultsIgnoreANormalBusyServer) {
  PileupDetector detector;
  // 15,000 TIME_WAIT on port 443 of a server with 40,000 sockets.
  const auto busy =
      WithRow(Direction::kInbound, 443, TcpState::kTimeWait, 15000, 25000);
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(detector.Update(busy).started.empty());
}

// Regression: the CLOSE_WAIT sockets of 50 folded ports were flagged as a
// pileup on port "other".
TEST(PileupDetectorTest, OtherIsNeverAPortButFoldedPortsAreJudged) {
  PileupDetector detector(CloseWaitRule(100, 0, 1));
  Snapshot s;
  PortRow other{Direction::kInbound, std::nullopt, {}, {}};
  other.states[Index(TcpState::kCloseWait)] = 3000;
  s.ports.push_back(other);
  PortRow folded{Direction::kInbound, 7150, {}, {}};
  folded.states[Index(TcpState::kCloseWait)] = 120;
  s.folded_candidates.push_back(folded);
  s.families[0][Index(TcpState::kCloseWait)] = 3000;
  const auto started = detector.Update(s).started;
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].port, 7150);
}

TEST(PileupDetectorTest, SynSentAndFinWait2HaveDefaultRules) {
  const PileupRules rules = PileupRules::Defaults();
  EXPECT_TRUE(rules.by_state[Index(TcpState::kSynSent)]);
  EXPECT_TRUE(rules.by_state[Index(TcpState::kFinWait2)]);
  PileupDetector detector(rules.WithoutSustain());
  const auto started =
      detector
          .Update(WithRow(Direction::kOutbound, 5432, TcpState::kSynSent, 300))
          .started;
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].state, TcpState::kSynSent);
}

TEST(PileupDetectorTest, StalledConnectionsAreFlaggedAfterTheirRule) {
  PileupRules rules;
  rules.by_stall[static_cast<std::size_t>(StallKind::kZeroWindow)] =
      PileupRule{10, 0, 2};
  PileupDetector detector(rules);
  Snapshot s;
  PortRow row{Direction::kOutbound, 9200, {}, {}};
  row.states[Index(TcpState::kEstablished)] = 40;
  row.stalls.sockets[static_cast<std::size_t>(StallKind::kZeroWindow)] = 12;
  row.stalls.bytes[static_cast<std::size_t>(StallKind::kZeroWindow)] = 4096;
  s.ports.push_back(row);
  s.families[0][Index(TcpState::kEstablished)] = 40;
  EXPECT_TRUE(detector.Update(s).started.empty());
  const auto started = detector.Update(s).started;
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].stall, StallKind::kZeroWindow);
  EXPECT_EQ(started[0].bytes, 4096u);
  EXPECT_EQ(rules.SmallestMinSockets(), 10u);
}

}  // namespace
}  // namespace tcpstated
