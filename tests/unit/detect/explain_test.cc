// The one cause the evidence supports, for each failure operators meet.
#include "tcpstated/detect/explain.h"

#include <gtest/gtest.h>

#include "snapshot_builder.h"
#include "tcpstated/detect/finding_text.h"
#include "tcpstated/detect/judge.h"

namespace tcpstated {
namespace {

using testing::SnapshotBuilder;

// The snapshot's one finding, with `processes` as tracing found them.
Finding Explained(const SnapshotBuilder& b,
                  std::vector<ProcessSockets> processes = {},
                  Evidence evidence = {}) {
  auto findings = Judge(b.Get(), FindingRules{});
  EXPECT_EQ(findings.size(), 1u);
  Finding f = findings.at(0);
  evidence.traced = true;
  evidence.processes = std::move(processes);
  f.evidence = std::move(evidence);
  Explain(f, b.Get());
  return f;
}

bool Says(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ExplainTest, AStoppedHolderOfTheListenerIsWhyTheQueueIsFull) {
  SnapshotBuilder b;
  b.Listener(80, 9, 8).Sysctl("somaxconn", 4096);
  const Finding f =
      Explained(b, {{100, "nginx", 1, 'S'}, {101, "nginx", 1, 'T'}});
  EXPECT_EQ(f.cause, "holder_stopped");
  EXPECT_TRUE(Says(f.why, "nginx[101]")) << f.why;
  EXPECT_TRUE(Says(f.check, "kill -CONT 101")) << f.check;
  EXPECT_EQ(f.evidence.role, HolderRole::kListening);
}

TEST(ExplainTest, ABacklogCappedBySomaxconnSaysSo) {
  SnapshotBuilder b;
  b.Listener(8080, 9, 8).Sysctl("somaxconn", 8);
  const Finding f = Explained(b, {{7, "python3", 1, 'S'}});
  EXPECT_EQ(f.cause, "somaxconn");
  EXPECT_TRUE(Says(f.why, "net.core.somaxconn (8)")) << f.why;
}

TEST(ExplainTest, APlainFullQueueIsAProgramAcceptingTooSlowly) {
  SnapshotBuilder b;
  b.Listener(8080, 5, 4).Sysctl("somaxconn", 4096);
  const Finding f = Explained(b, {{7, "python3", 1, 'S'}});
  EXPECT_EQ(f.cause, "slow_accept");
  EXPECT_TRUE(Says(f.why, "python3[7]")) << f.why;
}

// No listener with anything queued when the sockets were dumped, yet the
// namespace's counter rose: bursts, said as such (not "0 waiting, limit 0").
TEST(ExplainTest, OverflowsWithNoQueueToPointAtAreBursts) {
  SnapshotBuilder b;
  b.Listener(80, 0, 128).Sysctl("somaxconn", 4096);
  b.Rising(KernelCounter::kListenOverflows, 96);
  const Finding f = Explained(b);
  EXPECT_TRUE(f.ports.empty());
  EXPECT_EQ(f.cause, "bursts");
  EXPECT_TRUE(Says(f.why, "between looks")) << f.why;
  EXPECT_EQ(HowMuch(f, b.Get()),
            "no queue full when looked at, 96 overflows/s");
}

TEST(ExplainTest, PortsLostToTimeWaitAreConnectionsOpenedPerRequest) {
  SnapshotBuilder b;
  b.Range(40000, 40999).Destination({10, 77, 0, 1}, 6379, 993, 990);
  b.Sysctl("tcp_tw_reuse", 2);
  const Finding f = Explained(b, {{55, "redis-benchmark", 3, 'S'}});
  EXPECT_EQ(f.cause, "time_wait_churn");
  EXPECT_TRUE(Says(f.why, "10.77.0.1:6379")) << f.why;
  EXPECT_TRUE(Says(f.why, "EADDRNOTAVAIL")) << f.why;
  EXPECT_TRUE(Says(f.check, "40000 40999")) << f.check;
  EXPECT_EQ(f.evidence.role, HolderRole::kConnecting);
  // TIME_WAIT has no process: who connects now is not said to have made
  // them (the benchmark that did may be gone; a client on one connection
  // may be what is left).
  EXPECT_FALSE(Says(f.why, "redis-benchmark[55] opens")) << f.why;
  EXPECT_TRUE(Says(f.why, "connecting now: redis-benchmark[55]")) << f.why;
}

TEST(ExplainTest, AStoppedServerIsNotAMissingClose) {
  SnapshotBuilder b;
  b.Port(Direction::kInbound, 11211, TcpState::kCloseWait, 150);
  Evidence e;
  e.sockets = 150;
  e.fin_unread = 150;
  const Finding f = Explained(b, {{9, "memcached", 150, 'T'}}, e);
  EXPECT_EQ(f.cause, "holder_stopped");
  EXPECT_FALSE(Says(f.why, "never calls close()")) << f.why;
  EXPECT_TRUE(Says(f.why, "memcached[9]")) << f.why;
}

TEST(ExplainTest, ARunningProgramThatReadsTheEndButKeepsTheSocketLeaks) {
  SnapshotBuilder b;
  b.Port(Direction::kInbound, 8080, TcpState::kCloseWait, 150);
  Evidence e;
  e.sockets = 150;
  e.fin_unread = 3;
  const Finding f = Explained(b, {{9, "leaky", 150, 'S'}}, e);
  EXPECT_EQ(f.cause, "no_close");
  EXPECT_TRUE(Says(f.why, "never calls close()")) << f.why;
}

TEST(ExplainTest, ARunningProgramThatNeverReadsTheFinIsStuckElsewhere) {
  SnapshotBuilder b;
  b.Port(Direction::kInbound, 8080, TcpState::kCloseWait, 150);
  Evidence e;
  e.sockets = 150;
  e.fin_unread = 149;
  EXPECT_EQ(Explained(b, {{9, "app", 150, 'S'}}, e).cause, "not_reading");
}

TEST(ExplainTest, AZeroWindowIsThePeerAndAnOpenWindowIsThisHost) {
  SnapshotBuilder peer;
  peer.Stalled(Direction::kInbound, 6379, StallKind::kZeroWindow, 30, 300);
  const Finding slow = Explained(peer, {{3, "redis-server", 30, 'S'}});
  EXPECT_EQ(slow.cause, "zero_window");
  EXPECT_TRUE(Says(slow.why, "the peers")) << slow.why;

  SnapshotBuilder local;
  local.Stalled(Direction::kInbound, 6379, StallKind::kNotSent, 30, 300);
  const Finding dropped = Explained(local, {{3, "redis-server", 30, 'S'}});
  EXPECT_EQ(dropped.kind, FindingKind::kUnacknowledged);
  EXPECT_EQ(dropped.cause, "not_leaving");
  EXPECT_TRUE(Says(dropped.why, "never leave this host")) << dropped.why;
  EXPECT_TRUE(Says(dropped.check, "nft list ruleset")) << dropped.check;
}

TEST(ExplainTest, FinWait2SaysWhichOfItsTwoCasesItSaw) {
  SnapshotBuilder b;
  b.Port(Direction::kInbound, 80, TcpState::kFinWait2, 1200);
  b.Sysctl("tcp_fin_timeout", 60);
  Evidence orphans;
  orphans.sockets = 1200;
  orphans.orphans = 1200;
  const Finding orphaned = Explained(b, {}, orphans);
  EXPECT_EQ(orphaned.cause, "peer_never_closes");
  EXPECT_FALSE(Says(orphaned.why, "shutdown()")) << orphaned.why;
  Evidence kept;
  kept.sockets = 1200;
  const Finding held = Explained(b, {{5, "proxy", 1200, 'S'}}, kept);
  EXPECT_EQ(held.cause, "shutdown_kept");
  EXPECT_TRUE(Says(held.why, "proxy[5]")) << held.why;
}

TEST(ExplainTest, ServerTimeWaitSaysHowLongConnectionsLive) {
  SnapshotBuilder b;
  b.Listener(80, 0, 511).Sysctl("tcp_max_tw_buckets", 131072);
  b.Port(Direction::kInbound, 80, TcpState::kTimeWait, 14000);
  b.Port(Direction::kInbound, 80, TcpState::kEstablished, 20);
  const Finding f = Explained(b, {{1, "nginx", 1, 'S'}});
  EXPECT_EQ(f.cause, "server_closes_first");
  EXPECT_TRUE(Says(f.why, "keep-alive off")) << f.why;
  EXPECT_TRUE(Says(f.check, "tcp_tw_recycle")) << f.check;
  EXPECT_FALSE(Says(f.why, "churn")) << "no event source, no rates";
}

TEST(ExplainTest, WithTheEventSourceAPileupCitesItsChurn) {
  SnapshotBuilder b;
  b.Listener(80, 0, 511).Sysctl("tcp_max_tw_buckets", 131072);
  b.Port(Direction::kInbound, 80, TcpState::kTimeWait, 14000);
  b.Churn(Direction::kInbound, 80, 9207, 93);
  const Finding f = Explained(b, {{1, "nginx", 1, 'S'}});
  EXPECT_TRUE(Says(f.why,
                   "(churn: 9,300 closes/s on port 80, 99 % closed "
                   "here first)"))
      << f.why;
  ASSERT_TRUE(f.churn.has_value());
  EXPECT_DOUBLE_EQ(f.churn->Closes(), 9300);

  SnapshotBuilder leak;
  leak.Port(Direction::kInbound, 11211, TcpState::kCloseWait, 150);
  leak.Churn(Direction::kInbound, 11211, 0, 4);
  Evidence e;
  e.sockets = 150;
  const Finding c = Explained(leak, {{9, "memcached", 150, 'S'}}, e);
  EXPECT_TRUE(Says(c.why,
                   "(churn: 4.0 closes/s on port 11211, 100 % closed "
                   "by the peer first)"))
      << c.why;
}

TEST(ExplainTest, SynSentSaysHowLongClientsWaitWithoutATimeout) {
  SnapshotBuilder b;
  b.Port(Direction::kOutbound, 8080, TcpState::kSynSent, 201);
  b.Sysctl("tcp_syn_retries", 6);
  Evidence e;
  e.sockets = 201;
  e.destinations = {{Family::kIpv4, {10, 88, 0, 2}, 201}};
  const Finding f =
      Explained(b, {{11, "curl", 150, 'S'}, {12, "nginx", 50, 'S'}}, e);
  EXPECT_EQ(f.cause, "unanswered");
  EXPECT_TRUE(Says(f.why, "10.88.0.2:8080")) << f.why;
  EXPECT_TRUE(Says(f.check, "127 s")) << f.check;
}

}  // namespace
}  // namespace tcpstated
