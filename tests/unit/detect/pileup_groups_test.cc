#include "tcpstated/detect/pileup_groups.h"

#include <gtest/gtest.h>

#include "record_builders.h"

namespace tcpstated {
namespace {

using testing::MakePileup;

TEST(DescribePortsTest, ContiguousPortsBecomeRanges) {
  EXPECT_EQ(DescribePorts({7100, 7101, 7102, 8080, 9000, 9001}),
            "7100-7102, 8080, 9000-9001");
  EXPECT_EQ(PortsPhrase({8080}), "port 8080");
  EXPECT_EQ(PortsPhrase({7100, 7101}), "ports 7100-7101 (2 ports)");
}

// Measured before grouping: a leak over 30 ports was 31 entries, each with
// the same paragraph.
TEST(GroupPileupsTest, OneOwnerLeakingOnThirtyPortsIsOneGroup) {
  Snapshot s;
  std::vector<Pileup> pileups;
  for (std::uint16_t port = 7100; port < 7130; ++port) {
    pileups.push_back(
        MakePileup(TcpState::kCloseWait, Direction::kInbound, port, 100, 0.01));
    s.owners.close_waits.push_back(
        {{Direction::kInbound, port}, "leaky.service", 100});
  }
  // Someone else's leak on another port, and a TIME_WAIT pileup.
  pileups.push_back(
      MakePileup(TcpState::kCloseWait, Direction::kInbound, 9000, 500, 0.05));
  s.owners.close_waits.push_back(
      {{Direction::kInbound, 9000}, "other.service", 500});
  pileups.push_back(
      MakePileup(TcpState::kTimeWait, Direction::kOutbound, 5432, 20000, 0.6));

  const auto groups = GroupPileups(pileups, s);
  ASSERT_EQ(groups.size(), 3u);
  const PileupGroup& leak = groups[1];  // 3000 sockets: second busiest
  EXPECT_EQ(leak.sockets, 3000u);
  EXPECT_EQ(leak.ports.size(), 30u);
  EXPECT_EQ(DescribePorts(leak.ports), "7100-7129");
  ASSERT_EQ(leak.owners.size(), 1u);
  EXPECT_EQ(leak.owners[0].owner, "leaky.service");
  EXPECT_EQ(leak.owners[0].sockets, 3000u);
  EXPECT_NE(leak.diagnosis.find("serving ports 7100-7129"), std::string::npos);
  EXPECT_EQ(groups[0].state, TcpState::kTimeWait);
  EXPECT_EQ(groups[2].ports, std::vector<std::uint16_t>{9000});
}

TEST(GroupPileupsTest, DifferentProcessesAreDifferentGroups) {
  Snapshot s;
  std::vector<Pileup> pileups = {
      MakePileup(TcpState::kCloseWait, Direction::kInbound, 1, 100, 0),
      MakePileup(TcpState::kCloseWait, Direction::kInbound, 2, 100, 0)};
  pileups[0].processes = {{10, "a", 100}};
  pileups[1].processes = {{11, "a", 100}};
  EXPECT_EQ(GroupPileups(pileups, s).size(), 2u);
  pileups[1].processes = {{10, "a", 100}};
  EXPECT_EQ(GroupPileups(pileups, s).size(), 1u);
}

}  // namespace
}  // namespace tcpstated
