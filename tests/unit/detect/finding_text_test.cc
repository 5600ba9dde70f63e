#include "tcpstated/detect/finding_text.h"

#include <gtest/gtest.h>

#include "snapshot_builder.h"
#include "tcpstated/detect/explain.h"

namespace tcpstated {
namespace {

Finding Leak(std::uint16_t port, int pid, std::uint64_t sockets) {
  Finding f;
  f.kind = FindingKind::kCloseWait;
  f.ports = {port};
  f.sockets = sockets;
  f.evidence.traced = true;
  f.evidence.role = HolderRole::kHolding;
  if (pid != 0) {
    f.evidence.processes = {{pid, "app" + std::to_string(pid), sockets, 'S'}};
  }
  return f;
}

TEST(DescribePortsTest, ContiguousPortsBecomeRanges) {
  EXPECT_EQ(DescribePorts({7100, 7101, 7102, 8080, 9000, 9001}),
            "7100-7102, 8080, 9000-9001");
  EXPECT_EQ(PortsPhrase({8080}), "port 8080");
  EXPECT_EQ(PortsPhrase({7100, 7101}), "ports 7100-7101 (2 ports)");
}

TEST(GroupFindingsTest, OneProgramLeakingOnThirtyPortsIsOneEntry) {
  std::vector<Finding> findings;
  for (std::uint16_t p = 7100; p < 7130; ++p) {
    findings.push_back(Leak(p, 42, 100));
  }
  const auto groups = GroupFindings(findings);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].ports.size(), 30u);
  EXPECT_EQ(groups[0].sockets, 3000u);
  EXPECT_EQ(groups[0].evidence.processes[0].sockets, 3000u);
  EXPECT_EQ(Headline(groups[0]),
            "CLOSE_WAIT pileup: inbound ports 7100-7129 (30 ports)");
}

TEST(GroupFindingsTest, UnrelatedProgramsAreNeverMerged) {
  // Same kind, same cgroup (the root), different processes: memcached's
  // CLOSE_WAIT and a Python leak.
  Finding memcached = Leak(11211, 9, 150);
  Finding python = Leak(8000, 77, 120);
  memcached.owners = python.owners = {{{Direction::kInbound, 0}, "/", 1}};
  EXPECT_EQ(GroupFindings({memcached, python}).size(), 2u);
  // And what nobody was traced to stays apart too.
  EXPECT_EQ(GroupFindings({Leak(1, 0, 100), Leak(2, 0, 100)}).size(), 2u);
}

TEST(WhoTest, ProcessesLeadInTheirRoleLargestFirst) {
  Finding f;
  f.kind = FindingKind::kSynSent;
  f.evidence.role = HolderRole::kConnecting;
  f.evidence.processes = {{11, "curl", 150, 'S'}, {12, "nginx", 50, 'S'}};
  EXPECT_EQ(Who(f), "connecting: curl[11] (150), nginx[12] (50)");
  f.evidence.role = HolderRole::kListening;
  f.evidence.processes = {{1, "nginx", 1, 'T'}};
  f.owners = {{{Direction::kInbound, 80}, "nginx.service", 1}};
  EXPECT_EQ(Who(f), "listening: nginx[1] (1, stopped); unit nginx.service (1)");
}

TEST(HowMuchTest, SaysTheLimitAndItsSource) {
  testing::SnapshotBuilder b;
  b.Listener(80, 9, 8).Sysctl("somaxconn", 8);
  b.Rising(KernelCounter::kListenOverflows, 32);
  Finding f;
  f.kind = FindingKind::kAcceptQueue;
  f.ports = {80};
  f.sockets = 9;
  f.limit = 8;
  f.limit_source = LimitSource::kSomaxconn;
  f.rate = 32;
  EXPECT_EQ(HowMuch(f, b.Get()),
            "9 waiting, limit 8 (net.core.somaxconn), 32 overflows/s");
  EXPECT_EQ(Headline(f), "accept queue full: inbound port 80");
}

}  // namespace
}  // namespace tcpstated
