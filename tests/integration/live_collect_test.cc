#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include "fixture_expectations.h"
#include "socket_scenario.h"
#include "ss_counts.h"
#include "tcpstated/count/collector.h"
#include "tcpstated/diag/raw_dump_writer.h"
#include "tcpstated/diag/replay_source.h"
#include "tcpstated/diag/sock_diag_source.h"
#include "tcpstated/host/sysctls.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

using testing::IpFamily;
using testing::SocketScenario;

const PortRow* FindRow(const Snapshot& s, Direction d, std::uint16_t port) {
  for (const PortRow& row : s.ports) {
    if (row.direction == d && row.port == port) return &row;
  }
  return nullptr;
}

StateCounts Counts(
    std::initializer_list<std::pair<TcpState, std::uint64_t>> l) {
  StateCounts c{};
  for (auto [state, n] : l) c[Index(state)] = n;
  return c;
}

// The scenario of tests/fixtures/README.md, built live.
void BuildMixed(SocketScenario& s) {
  s.Listen(IpFamily::kV4, 8080, 128);
  s.Listen(IpFamily::kV6, 8443, 64);
  s.Listen(IpFamily::kV4, 9090, 128, /*defer_accept=*/true);
  s.Listen(IpFamily::kV4, 7070, 0);
  s.Established(IpFamily::kV4, 8080, 3);
  s.Established(IpFamily::kV6, 8443, 2);
  s.CloseWait(IpFamily::kV6, 8443, 2);
  s.TimeWait(IpFamily::kV4, 8080, 4);
  s.SynRecv(IpFamily::kV4, 9090, 2);
  s.Queued(IpFamily::kV4, 7070, 1);
  s.SynSent(IpFamily::kV4, 7070, 2);
}

class LiveCollectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::EnterPrivateNetns();
    options_.ephemeral_range = ReadLocalPortRange();
  }

  // Collects until the totals are `expected` (loopback state changes land
  // within microseconds, but the test must not depend on it) or 3 s pass.
  Snapshot CollectExpecting(
      const std::array<StateCounts, kFamilyCount>& expected,
      DiagRequest request = DiagRequest::kLegacyOneWalk) {
    SockDiagSource source({.request = request});
    Snapshot s = Collect(source, options_).snapshot;
    for (int i = 0; i < 300 && s.families != expected; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      s = Collect(source, options_).snapshot;
    }
    return s;
  }

  CountSettings options_;
};

TEST_F(LiveCollectTest, KnownSocketsAreCountedExactlyPerFamilyAndState) {
  SocketScenario scenario;
  BuildMixed(scenario);
  const std::array expected{testing::MixedIpv4(), testing::MixedIpv6()};
  for (DiagRequest request :
       {DiagRequest::kLegacyOneWalk, DiagRequest::kPerFamily}) {
    const Snapshot s = CollectExpecting(expected, request);
    EXPECT_EQ(s.families[0], expected[0]) << DiagRequestName(request);
    EXPECT_EQ(s.families[1], expected[1]) << DiagRequestName(request);
    EXPECT_EQ(s.dump.records, 30u);
    EXPECT_FALSE(s.dump.interrupted);
  }
}

TEST_F(LiveCollectTest, KnownSocketsAreCountedExactlyPerPort) {
  SocketScenario scenario;
  BuildMixed(scenario);
  const Snapshot s =
      CollectExpecting({testing::MixedIpv4(), testing::MixedIpv6()});
  using enum TcpState;
  const Direction in = Direction::kInbound;
  const Direction out = Direction::kOutbound;
  const std::vector<std::tuple<Direction, std::uint16_t, StateCounts>>
      expected = {
          {in, 8080, Counts({{kListen, 1}, {kEstablished, 3}})},
          {in, 8443,
           Counts({{kListen, 1}, {kEstablished, 2}, {kCloseWait, 2}})},
          {in, 9090, Counts({{kListen, 1}, {kSynRecv, 2}})},
          {in, 7070, Counts({{kListen, 1}, {kEstablished, 1}})},
          {out, 8080, Counts({{kEstablished, 3}, {kTimeWait, 4}})},
          {out, 8443, Counts({{kEstablished, 2}, {kFinWait2, 2}})},
          {out, 9090, Counts({{kEstablished, 2}})},
          {out, 7070, Counts({{kEstablished, 1}, {kSynSent, 2}})},
      };
  EXPECT_EQ(s.ports.size(), expected.size());
  for (const auto& [direction, port, states] : expected) {
    const PortRow* row = FindRow(s, direction, port);
    ASSERT_NE(row, nullptr) << DirectionName(direction) << " " << port;
    EXPECT_EQ(row->states, states) << DirectionName(direction) << " " << port;
  }
}

TEST_F(LiveCollectTest, ListenQueuesShowQueuedConnectionsAndBacklogs) {
  SocketScenario scenario;
  BuildMixed(scenario);
  const Snapshot s =
      CollectExpecting({testing::MixedIpv4(), testing::MixedIpv6()});
  ASSERT_EQ(s.listen_queues.size(), 4u);
  const std::vector<std::tuple<std::uint16_t, std::uint64_t, std::uint64_t>>
      expected = {{7070, 1, 0}, {8080, 0, 128}, {8443, 0, 64}, {9090, 0, 128}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(s.listen_queues[i].port, std::get<0>(expected[i]));
    EXPECT_EQ(s.listen_queues[i].length, std::get<1>(expected[i]));
    EXPECT_EQ(s.listen_queues[i].limit, std::get<2>(expected[i]));
  }
}

TEST_F(LiveCollectTest, AgreesWithSsOnARandomMix) {
  // A mix nobody designed: random kinds, counts, families and ports.
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  SocketScenario scenario;
  std::array<StateCounts, kFamilyCount> expected{};
  for (int service = 0; service < 6; ++service) {
    const IpFamily family = random() % 2 ? IpFamily::kV4 : IpFamily::kV6;
    const auto f = static_cast<std::size_t>(family == IpFamily::kV6);
    auto n = [&] { return static_cast<int>(random() % 12); };
    const bool defer = random() % 3 == 0;
    const std::uint16_t port = scenario.Listen(family, 0, 64, defer);
    ++expected[f][Index(TcpState::kListen)];
    if (defer) {
      // Connections to a defer-accept listener that send nothing are never
      // accepted: only SYN_RECV here.
      const int syn_recv = n();
      scenario.SynRecv(family, port, syn_recv);
      expected[f][Index(TcpState::kSynRecv)] += syn_recv;
      expected[f][Index(TcpState::kEstablished)] += syn_recv;
      continue;
    }
    const int established = n(), close_wait = n(), time_wait = n();
    scenario.Established(family, port, established);
    scenario.CloseWait(family, port, close_wait, random() % 2 == 0);
    scenario.TimeWait(family, port, time_wait);
    expected[f][Index(TcpState::kEstablished)] += 2u * established;
    expected[f][Index(TcpState::kCloseWait)] += close_wait;
    expected[f][Index(TcpState::kFinWait2)] += close_wait;
    expected[f][Index(TcpState::kTimeWait)] += time_wait;
  }
  const Snapshot s = CollectExpecting(expected);
  EXPECT_EQ(s.families, expected);
  EXPECT_EQ(s.families, testing::CountWithSs());
  // Every socket lands in exactly one port row.
  StateCounts by_port{};
  for (const PortRow& row : s.ports) AddTo(by_port, row.states);
  EXPECT_EQ(by_port, s.Totals());
}

TEST_F(LiveCollectTest, RecordingReplaysToTheSameCounts) {
  SocketScenario scenario;
  BuildMixed(scenario);
  const std::string path = ::testing::TempDir() + "/live_collect_test.dump";
  Snapshot live;
  {
    RawDumpWriter recorder(path);
    SockDiagSource source({}, &recorder);
    live = Collect(source, options_).snapshot;
  }
  ReplaySource replay(path);
  const Snapshot replayed = Collect(replay, options_).snapshot;
  EXPECT_EQ(replayed.families, live.families);
  EXPECT_EQ(replayed.ports.size(), live.ports.size());
  EXPECT_EQ(replayed.dump.bytes, live.dump.bytes);
  std::remove(path.c_str());
}

TEST_F(LiveCollectTest, PortsBeyondTheCapAreFoldedAndTotalsStayExact) {
  SocketScenario scenario;
  for (int i = 0; i < 30; ++i) {
    const std::uint16_t port = scenario.Listen(IpFamily::kV4, 0, 16);
    scenario.Established(IpFamily::kV4, port, 1 + i % 3);
  }
  options_.max_ports = 10;
  SockDiagSource source;
  const Snapshot s = Collect(source, options_).snapshot;
  EXPECT_EQ(s.ports_folded[0], 20u);
  EXPECT_EQ(s.ports_folded[1], 20u);
  EXPECT_EQ(s.ports.size(), 22u);  // 10 + other, per direction
  EXPECT_EQ(s.families, testing::CountWithSs());
}

TEST_F(LiveCollectTest, ReadsTheEphemeralRangeOfItsOwnNamespace) {
  std::ofstream("/proc/sys/net/ipv4/ip_local_port_range") << "20000 20999\n";
  EXPECT_EQ(ReadLocalPortRange(), (PortRange{20000, 20999}));
}

TEST_F(LiveCollectTest, MessageLargerThanTheReceiveBufferIsATruncationError) {
  SocketScenario scenario;
  scenario.Listen(IpFamily::kV4, 0, 8);
  // 64 bytes cannot hold one 88-byte inet_diag message: the kernel sets
  // MSG_TRUNC, which must fail the collection, not yield a partial count.
  SockDiagSource source({.receive_buffer = 64});
  try {
    Collect(source, options_);
    FAIL() << "a truncated dump was accepted";
  } catch (const CollectError& error) {
    EXPECT_EQ(error.reason(), CollectErrorReason::kTruncated) << error.what();
  }
}

TEST_F(LiveCollectTest, EmptyNamespaceHasNoSockets) {
  SockDiagSource source;
  const Snapshot s = Collect(source, options_).snapshot;
  EXPECT_EQ(Total(s.Totals()), 0u);
  EXPECT_TRUE(s.ports.empty());
}

}  // namespace
}  // namespace tcpstated
