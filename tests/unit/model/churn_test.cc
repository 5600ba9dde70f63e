#include "tcpstated/model/churn.h"

#include <gtest/gtest.h>

#include "tcpstated/model/snapshot.h"

namespace tcpstated {
namespace {

ChurnEntry Entry(std::uint64_t netns, Direction d, std::uint16_t port,
                 std::uint64_t opens) {
  ChurnEntry e{netns, d, port, {}};
  e.counts.opens = opens;
  e.counts.closes = {opens / 2, opens - opens / 2, 0};
  e.counts.lifetimes[0] = opens;
  e.counts.lifetime_seconds = 0.001 * static_cast<double>(opens);
  return e;
}

TEST(ChurnRowsTest, KeepTheBusiestPortsOfTheNamespaceAndSumTheRest) {
  ChurnReading reading;
  for (std::uint16_t port = 1; port <= 6; ++port) {
    reading.entries.push_back(Entry(7, Direction::kInbound, port, port * 10u));
  }
  reading.entries.push_back(Entry(7, Direction::kOutbound, 443, 5));
  reading.entries.push_back(Entry(8, Direction::kInbound, 80, 1000));
  const auto rows = ChurnRowsOf(reading, 7, 3, 2);
  ASSERT_EQ(rows.size(), 5u);  // 3 ports + other inbound, 1 outbound
  EXPECT_EQ(rows[0].port, 6);
  EXPECT_EQ(rows[1].port, 5);
  EXPECT_EQ(rows[2].port, 4);
  EXPECT_EQ(rows[3].port, std::nullopt);
  EXPECT_EQ(rows[3].counts.opens, 10u + 20 + 30);
  EXPECT_EQ(rows[3].counts.lifetimes[0], 60u);
  EXPECT_EQ(rows[4].direction, Direction::kOutbound);
  // Lifetimes for the two busiest of each direction, never for "other".
  EXPECT_TRUE(rows[0].with_lifetimes);
  EXPECT_TRUE(rows[1].with_lifetimes);
  EXPECT_FALSE(rows[2].with_lifetimes);
  EXPECT_FALSE(rows[3].with_lifetimes);
  EXPECT_TRUE(rows[4].with_lifetimes);
  // Namespace 8's port 80 is not namespace 7's.
  for (const ChurnRow& r : rows) EXPECT_NE(r.port, 80);
}

TEST(ChurnRowsTest, FoldingKeepsEveryTotal) {
  ChurnReading reading;
  for (std::uint16_t port = 1; port <= 50; ++port) {
    reading.entries.push_back(Entry(1, Direction::kOutbound, port, port));
  }
  auto rows = ChurnRowsOf(reading, 1, 200, 0);
  ASSERT_EQ(rows.size(), 50u);
  EXPECT_EQ(FoldChurnRows(rows, 10), 40u);
  ASSERT_EQ(rows.size(), 11u);
  std::uint64_t opens = 0;
  for (const ChurnRow& r : rows) opens += r.counts.opens;
  EXPECT_EQ(opens, 50u * 51 / 2);
}

TEST(ChurnRatesTest, PerSecondBetweenReadingsAndNothingWhenCountersGoBack) {
  ChurnRow before{Direction::kInbound, 8080, {}, false};
  before.counts.opens = 100;
  before.counts.closes = {90, 10, 0};
  ChurnRow now = before;
  now.counts.opens = 300;
  now.counts.closes = {288, 12, 0};
  ChurnRow reset{Direction::kInbound, 9090, {}, false};
  reset.counts.opens = 5;  // fewer than before: a new program, a new map
  ChurnRow earlier_reset = reset;
  earlier_reset.counts.opens = 50;
  const auto rates = ChurnRates({now, reset}, {before, earlier_reset}, 2.0);
  ASSERT_EQ(rates.size(), 1u);
  EXPECT_EQ(rates[0].port, 8080);
  EXPECT_DOUBLE_EQ(rates[0].opens, 100);
  EXPECT_DOUBLE_EQ(rates[0].Closes(), 100);
  EXPECT_DOUBLE_EQ(rates[0].ClosedHereShare(), 0.99);

  // A port with no events at the first reading had no row then.
  ChurnRow fresh{Direction::kOutbound, 443, {}, false};
  fresh.counts.failed_connects = 10;
  const auto with_fresh = ChurnRates({fresh}, {before}, 2.0);
  ASSERT_EQ(with_fresh.size(), 1u);
  EXPECT_DOUBLE_EQ(with_fresh[0].failed_connects, 5);
  // Unless ports of its direction were folded then: it may have been
  // in "other".
  const ChurnRow other_out{Direction::kOutbound, std::nullopt, {}, false};
  EXPECT_TRUE(ChurnRates({fresh}, {before, other_out}, 2.0).empty());

  Snapshot s;
  s.churn = {now};
  EXPECT_TRUE(s.ChurnRates().empty()) << "no reading before: no rates";
  s.churn_before = std::vector<ChurnRow>{before};
  s.churn_interval = std::chrono::seconds(2);
  ASSERT_TRUE(s.ChurnRateOf(Direction::kInbound, 8080).has_value());
  EXPECT_FALSE(s.ChurnRateOf(Direction::kOutbound, 8080).has_value());
}

// Busiest first by everything that happened, as the rows are ordered: a
// reset storm outranks a port with a few more connections.
TEST(ChurnRatesTest, BusiestFirstCountsResetsAndRetransmitsToo) {
  ChurnRow quiet{Direction::kInbound, 80, {}, false};
  quiet.counts.opens = 10;
  ChurnRow storm{Direction::kInbound, 443, {}, false};
  storm.counts.resets = {0, 40};
  ChurnRow zero80 = quiet, zero443 = storm;
  zero80.counts = {};
  zero443.counts = {};
  const auto rates = ChurnRates({quiet, storm}, {zero80, zero443}, 1.0);
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_EQ(rates[0].port, 443);
  EXPECT_DOUBLE_EQ(rates[0].Activity(), 40);
  EXPECT_DOUBLE_EQ(rates[1].Activity(), 10);
}

}  // namespace
}  // namespace tcpstated
