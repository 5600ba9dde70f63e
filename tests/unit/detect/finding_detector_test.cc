#include "tcpstated/detect/finding_detector.h"

#include <gtest/gtest.h>

#include "snapshot_builder.h"

namespace tcpstated {
namespace {

using std::chrono::seconds;
using testing::SnapshotBuilder;

Snapshot Leaking(std::uint64_t close_wait) {
  SnapshotBuilder b;
  b.Port(Direction::kInbound, 8080, TcpState::kCloseWait, close_wait);
  return b.Get();
}

FindingRules AtOnce() {
  FindingRules rules;
  rules.hold = seconds(0);
  return rules;
}

TEST(FindingDetectorTest, AConditionIsAFindingOnceItHasHeldForItsTime) {
  FindingRules rules;
  rules.hold = seconds(60);
  FindingDetector detector(rules);
  const auto t0 = FindingDetector::Clock::now();
  EXPECT_TRUE(detector.Update(Leaking(150), t0).empty());
  EXPECT_TRUE(detector.Update(Leaking(150), t0 + seconds(45)).empty());
  const auto active = detector.Update(Leaking(150), t0 + seconds(60));
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].kind, FindingKind::kCloseWait);
}

TEST(FindingDetectorTest, ADipStartsTheClockAgainAndEndsAFinding) {
  FindingRules rules;
  rules.hold = seconds(30);
  FindingDetector detector(rules);
  const auto t0 = FindingDetector::Clock::now();
  detector.Update(Leaking(150), t0);
  EXPECT_EQ(detector.Update(Leaking(150), t0 + seconds(30)).size(), 1u);
  EXPECT_TRUE(detector.Update(Leaking(10), t0 + seconds(45)).empty());
  EXPECT_TRUE(detector.Update(Leaking(150), t0 + seconds(60)).empty());
  EXPECT_EQ(detector.Update(Leaking(150), t0 + seconds(90)).size(), 1u);
}

TEST(FindingDetectorTest, EvidenceIsKeptWhileTheFindingLasts) {
  FindingDetector detector(AtOnce());
  const auto t0 = FindingDetector::Clock::now();
  auto active = detector.Update(Leaking(150), t0);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_TRUE(detector.NeedsEvidence(active[0]));
  Evidence evidence;
  evidence.traced = true;
  evidence.processes = {{42, "leaky", 150, 'S'}};
  detector.Attach(active[0], evidence);
  active = detector.Update(Leaking(160), t0 + seconds(15));
  ASSERT_EQ(active.size(), 1u);
  EXPECT_FALSE(detector.NeedsEvidence(active[0]));
  ASSERT_EQ(active[0].evidence.processes.size(), 1u);
  EXPECT_EQ(active[0].evidence.processes[0].command, "leaky");
  EXPECT_EQ(active[0].since, Leaking(150).taken_at);
}

TEST(FindingDetectorTest, ASeverityChangeAsksForFreshEvidence) {
  FindingDetector detector(AtOnce());
  const auto t0 = FindingDetector::Clock::now();
  SnapshotBuilder warning;
  warning.Listener(80, 8, 8);
  auto active = detector.Update(warning.Get(), t0);
  ASSERT_EQ(active.size(), 1u);
  Evidence traced;
  traced.traced = true;
  detector.Attach(active[0], traced);
  SnapshotBuilder critical;
  critical.Listener(80, 9, 8);
  active = detector.Update(critical.Get(), t0 + seconds(15));
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].severity, Severity::kCritical);
  EXPECT_TRUE(detector.NeedsEvidence(active[0]));
}

}  // namespace
}  // namespace tcpstated
