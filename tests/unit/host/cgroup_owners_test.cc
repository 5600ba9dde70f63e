#include "tcpstated/host/cgroup_owners.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "count/cgroup_counter.h"
#include "diag/dump_parser.h"
#include "netlink_messages.h"
#include "record_builders.h"

namespace tcpstated {
namespace {

class FakePaths : public CgroupPaths {
 public:
  std::optional<std::string> PathOf(std::uint64_t id) override {
    ++lookups;
    const auto it = paths.find(id);
    if (it == paths.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::uint64_t, std::string> paths;
  int lookups = 0;
};

SocketRecord Socket(TcpState state, std::uint64_t cgroup, std::uint16_t port) {
  return testing::OwnedRecord(state, cgroup, port);
}

constexpr PortClass kInbound8080{Direction::kInbound, 8080};
constexpr PortClass kOutbound5432{Direction::kOutbound, 5432};

TEST(AttributeTest, CountsPerUnitAndNamesWhoHoldsAPortsCloseWaits) {
  CgroupCounter counter;
  // web.service has two cgroups (its main one and a child); 9 is unknown.
  for (int i = 0; i < 3; ++i) {
    counter.Add(Socket(TcpState::kCloseWait, 10, 8080), kInbound8080);
  }
  counter.Add(Socket(TcpState::kCloseWait, 11, 8080), kInbound8080);
  counter.Add(Socket(TcpState::kListen, 10, 8080), kInbound8080);
  counter.Add(Socket(TcpState::kEstablished, 20, 40000), kOutbound5432);
  counter.Add(Socket(TcpState::kCloseWait, 9, 8080), kInbound8080);
  // No cgroup (TIME_WAIT and friends): not counted at all.
  counter.Add(Socket(TcpState::kTimeWait, 0, 8080), kInbound8080);

  FakePaths paths;
  ContainerNames names(RuntimeStateDirs::None());
  paths.paths = {{10, "/system.slice/web.service"},
                 {11, "/system.slice/web.service/worker"},
                 {20, "/"}};
  const Attribution a = Attribute(counter.Counts(), {paths, names}, 10);

  ASSERT_EQ(a.owners.size(), 3u);
  EXPECT_EQ(a.owners[0].owner, "web.service");
  EXPECT_EQ(a.owners[0].states[Index(TcpState::kCloseWait)], 4u);
  EXPECT_EQ(a.owners[0].states[Index(TcpState::kListen)], 1u);
  EXPECT_EQ(Total(a.owners[0].states), 5u);
  EXPECT_EQ(a.owners[0].states[Index(TcpState::kTimeWait)], 0u);

  const auto holders = a.OwnersOf(kInbound8080, TcpState::kCloseWait);
  ASSERT_EQ(holders.size(), 2u);
  EXPECT_EQ(holders[0].owner, "web.service");
  EXPECT_EQ(holders[0].sockets, 4u);
  EXPECT_EQ(holders[1].owner, "cgroup:9");
  EXPECT_EQ(a.DescribeOwnersOf(kInbound8080, TcpState::kCloseWait),
            "web.service (4), cgroup:9 (1)");
  // A TIME_WAIT pileup on the port: whoever listens there.
  EXPECT_EQ(a.DescribeOwnersOf(kInbound8080, TcpState::kTimeWait),
            "web.service (1)");
  EXPECT_EQ(a.DescribeOwnersOf(kOutbound5432, TcpState::kTimeWait), "");
  EXPECT_EQ(a.owners_folded, 0u);
  EXPECT_EQ(a.unattributed, 0u);
  // Each cgroup is named once, though its rows of listeners and CLOSE_WAIT
  // ports name it again.
  EXPECT_EQ(paths.lookups, 4);
}

TEST(AttributeTest, FoldsOwnersBeyondTheCapIntoOther) {
  CgroupCounter counter;
  FakePaths paths;
  ContainerNames names(RuntimeStateDirs::None());
  for (std::uint64_t id = 1; id <= 5; ++id) {
    paths.paths[id] = "/system.slice/s" + std::to_string(id) + ".service";
    for (std::uint64_t n = 0; n < id; ++n) {
      counter.Add(Socket(TcpState::kEstablished, id, 80), kInbound8080);
    }
  }
  const Attribution a = Attribute(counter.Counts(), {paths, names}, 2);
  ASSERT_EQ(a.owners.size(), 3u);
  EXPECT_EQ(a.owners[0].owner, "s5.service");
  EXPECT_EQ(a.owners[1].owner, "s4.service");
  EXPECT_EQ(a.owners[2].owner, "other");
  EXPECT_EQ(Total(a.owners[2].states), 1u + 2 + 3);
  EXPECT_EQ(a.owners_folded, 3u);
}

// The kernel reports the creating program's cgroup for full sockets only.
TEST(DumpCgroupTest, RecordedFullSocketsCarryACgroupAndTimeWaitNone) {
  class Sink : public RecordSink {
   public:
    void OnRecord(const SocketRecord& r) noexcept override {
      (r.cgroup_id != 0 ? with : without)[Index(r.state)]++;
    }
    StateCounts with{}, without{};
  } sink;
  DumpParser parser(sink);
  parser.Parse(testing::ReadFile(testing::FixturePath("mixed-legacy.dump")));
  EXPECT_EQ(sink.with[Index(TcpState::kTimeWait)], 0u);
  EXPECT_EQ(sink.without[Index(TcpState::kTimeWait)], 4u);
  EXPECT_EQ(sink.with[Index(TcpState::kSynRecv)], 0u);
  EXPECT_EQ(sink.with[Index(TcpState::kListen)], 4u);
  EXPECT_EQ(sink.with[Index(TcpState::kEstablished)], 14u);
  EXPECT_EQ(sink.with[Index(TcpState::kCloseWait)], 2u);
  // The orphaned FIN_WAIT2 client ends lost their owner with their fd.
  EXPECT_EQ(sink.without[Index(TcpState::kFinWait2)], 2u);
}

}  // namespace
}  // namespace tcpstated
