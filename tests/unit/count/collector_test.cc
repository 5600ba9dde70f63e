#include "tcpstated/count/collector.h"

#include <gtest/gtest.h>

#include <vector>

#include "fixture_expectations.h"
#include "netlink_messages.h"
#include "record_builders.h"
#include "tcpstated/diag/replay_source.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

using testing::Listener;
using testing::Record;
using testing::ScriptedSource;

TEST(CollectTest, ReplaysARecordedDumpIntoASnapshot) {
  ReplaySource source(testing::FixturePath("mixed-ss.dump"));
  const Snapshot s = Collect(source, {}).snapshot;
  EXPECT_EQ(s.families[0], testing::MixedIpv4());
  EXPECT_EQ(s.families[1], testing::MixedIpv6());
  EXPECT_EQ(s.dump.records, 30u);
  EXPECT_EQ(s.dump.bytes, 3544u);
}

TEST(CollectTest, ListenersFirstNeedsOneDump) {
  ScriptedSource source(
      {Listener(8080, 0, 8), Record(TcpState::kEstablished, 8080, 40000)});
  const Snapshot s = Collect(source, {}).snapshot;
  EXPECT_EQ(source.dumps, 1);
  EXPECT_EQ(s.classification_passes, 1);
  EXPECT_EQ(s.dump.bytes, 1234u);
  EXPECT_EQ(s.ports.at(0).direction, Direction::kInbound);
}

TEST(CollectTest, LateListenerRepeatsTheDumpAndClassifiesExactly) {
  // An IPv4 client of a local service on an ephemeral-range port, seen
  // before that service's IPv6 listener (per-family dump order).
  ScriptedSource source({Record(TcpState::kEstablished, 41000, 50000),
                         Record(TcpState::kEstablished, 50000, 41000),
                         Listener(50000, 0, 8, Family::kIpv6)});
  const Snapshot s = Collect(source, {}).snapshot;
  EXPECT_EQ(source.dumps, 2);
  EXPECT_EQ(s.classification_passes, 2);
  ASSERT_EQ(s.ports.size(), 2u);
  for (const PortRow& row : s.ports) {
    EXPECT_EQ(row.port, 50000);
    EXPECT_EQ(row.states[Index(TcpState::kEstablished)], 1u);
  }
  EXPECT_EQ(Total(s.Totals()), 3u);  // counted once, not once per pass
}

// Regression: over-cap CLOSE_WAIT sockets were counted once per pass.
TEST(CollectTest, ARepeatedPassCountsUntrackedCloseWaitsOnce) {
  std::vector<SocketRecord> records;
  for (std::uint64_t cookie = 1; cookie <= 5; ++cookie) {
    SocketRecord r = Record(TcpState::kCloseWait, 8080,
                            static_cast<std::uint16_t>(40000 + cookie));
    r.cookie = cookie;
    records.push_back(r);
  }
  records.push_back(Listener(8080, 0, 8));  // after its sockets: 2 passes
  ScriptedSource source(records);
  CloseWaitTracker tracker({.max_tracked = 2});
  tracker.BeginCollection(std::chrono::steady_clock::now());
  const Snapshot s = Collect(source, {}, nullptr, &tracker).snapshot;
  ASSERT_EQ(s.classification_passes, 2);
  tracker.EndCollection();
  EXPECT_EQ(tracker.tracked(), 2u);
  EXPECT_EQ(tracker.untracked(), 3u);
}

TEST(CollectTest, KnownListenersAvoidTheSecondDump) {
  ScriptedSource source(
      {Record(TcpState::kEstablished, 41000, 50000), Listener(50000, 0, 8)});
  PortSet known;
  known.set(50000);
  Collect(source, {}, &known);
  EXPECT_EQ(source.dumps, 1);
}

TEST(CollectTest, SourceErrorsPropagateWithTheirReason) {
  ScriptedSource source({});
  source.fail = true;
  try {
    Collect(source, {});
    FAIL();
  } catch (const CollectError& error) {
    EXPECT_EQ(error.reason(), CollectErrorReason::kNoBuffers);
  }
}

TEST(CollectTest, RecordsTimeAndDuration) {
  ScriptedSource source({Listener(1, 0, 1)});
  const auto before = std::chrono::system_clock::now();
  const Snapshot s = Collect(source, {}).snapshot;
  EXPECT_GE(s.taken_at, before);
  EXPECT_GE(s.collect_duration.count(), 0.0);
}

}  // namespace
}  // namespace tcpstated
