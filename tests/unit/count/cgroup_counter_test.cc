#include "count/cgroup_counter.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "record_builders.h"

namespace tcpstated {
namespace {

constexpr PortClass kInbound8080{Direction::kInbound, 8080};

SocketRecord Socket(TcpState state, std::uint64_t cgroup, std::uint16_t port) {
  return testing::OwnedRecord(state, cgroup, port);
}

TEST(CgroupCounterTest, CountsWhatFindsNoRoomAsOverflow) {
  CgroupCounter counter(2);
  for (std::uint64_t id = 1; id <= 4; ++id) {
    counter.Add(Socket(TcpState::kEstablished, id, 80), kInbound8080);
  }
  counter.Add(Socket(TcpState::kEstablished, 1, 80), kInbound8080);
  const CgroupCounts counts = counter.Counts();
  EXPECT_EQ(counts.cgroups.size(), 2u);
  EXPECT_EQ(counts.overflow, 2u);
}

// The last-hit cache must not blur owners when the walk alternates.
TEST(CgroupCounterTest, AlternatingOwnersAndPortsAreCountedApart) {
  CgroupCounter counter;
  constexpr PortClass kInbound9000{Direction::kInbound, 9000};
  for (int i = 0; i < 6; ++i) {
    const std::uint64_t id = i % 2 == 0 ? 1 : 2;
    const PortClass port = i % 3 == 0 ? kInbound8080 : kInbound9000;
    counter.Add(Socket(TcpState::kCloseWait, id, port.port), port);
  }
  std::map<std::tuple<std::uint64_t, std::uint16_t>, std::uint64_t> got;
  for (const auto& row : counter.Counts().close_waits) {
    got[{row.cgroup_id, row.port.port}] = row.sockets;
  }
  // i: 0 (1,8080) 1 (2,9000) 2 (1,9000) 3 (2,8080) 4 (1,9000) 5 (2,9000)
  const std::map<std::tuple<std::uint64_t, std::uint16_t>, std::uint64_t> want =
      {{{1, 8080}, 1}, {{1, 9000}, 2}, {{2, 8080}, 1}, {{2, 9000}, 2}};
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace tcpstated
