#include "tcpstated/collect/churn_rows.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

ChurnEntry Entry(std::uint64_t netns, std::uint64_t failed_connects) {
  ChurnEntry entry;
  entry.netns = netns;
  entry.direction = Direction::kOutbound;
  entry.port = 9201;
  entry.counts.failed_connects = failed_connects;
  return entry;
}

// A namespace the program counted something in is collected even with no
// socket; one with only a listener's seeded key (no counts) is not.
TEST(NamespacesWithChurnTest, NamesTheNamespacesWithCountsOnly) {
  ChurnReading reading;
  reading.entries = {Entry(1, 3), Entry(2, 0), Entry(1, 1), Entry(3, 7)};
  EXPECT_EQ(NamespacesWithChurn(reading), (NetnsInodes{1, 3}));
  EXPECT_TRUE(NamespacesWithChurn(ChurnReading{}).empty());
}

TEST(AttachChurnRatesTest, TheIntervalIsBetweenTheTwoReadings) {
  const auto start = std::chrono::steady_clock::time_point{};
  TimedChurnReading before{{}, start};
  before.reading.status.enabled = true;
  before.reading.entries = {Entry(7, 10)};
  TimedChurnReading after{{}, start + std::chrono::seconds(2)};
  after.reading.status.enabled = true;
  after.reading.entries = {Entry(7, 30)};
  Snapshot snapshot;
  snapshot.netns = NetworkNamespace{7, "", "", {}};
  AttachChurnRates(snapshot, before, after, ChurnSettings{});
  ASSERT_TRUE(snapshot.churn_enabled);
  EXPECT_DOUBLE_EQ(snapshot.churn_interval.count(), 2.0);
  const auto rate = snapshot.ChurnRateOf(Direction::kOutbound, 9201);
  ASSERT_TRUE(rate.has_value());
  EXPECT_DOUBLE_EQ(rate->failed_connects, 10.0);  // (30 - 10) / 2 s
}

}  // namespace
}  // namespace tcpstated
