#include "count/aggregator.h"

#include <gtest/gtest.h>

#include "record_builders.h"

namespace tcpstated {
namespace {

using testing::Listener;
using testing::Record;

const PortRow* FindRow(const Snapshot& s, Direction d,
                       std::optional<std::uint16_t> port) {
  for (const PortRow& row : s.ports) {
    if (row.direction == d && row.port == port) return &row;
  }
  return nullptr;
}

Snapshot FillFrom(Aggregator& aggregator) {
  Snapshot snapshot;
  aggregator.Fill(snapshot);
  return snapshot;
}

TEST(AggregatorTest, CountsEveryRecordByFamilyAndState) {
  Aggregator aggregator({});
  aggregator.OnRecord(Record(TcpState::kEstablished, 40000, 443));
  aggregator.OnRecord(
      Record(TcpState::kEstablished, 40001, 443, Family::kIpv6));
  aggregator.OnRecord(Record(TcpState::kTimeWait, 40002, 443, Family::kIpv6));
  const Snapshot s = FillFrom(aggregator);
  EXPECT_EQ(s.families[0][Index(TcpState::kEstablished)], 1u);
  EXPECT_EQ(s.families[1][Index(TcpState::kEstablished)], 1u);
  EXPECT_EQ(s.families[1][Index(TcpState::kTimeWait)], 1u);
  EXPECT_EQ(Total(s.Totals()), 3u);
}

TEST(AggregatorTest, ClassifiesAgainstListenersSeenEarlierInTheDump) {
  Aggregator aggregator({});
  aggregator.OnRecord(Listener(8080, 0, 128));
  aggregator.OnRecord(Record(TcpState::kEstablished, 8080, 45000));
  aggregator.OnRecord(Record(TcpState::kCloseWait, 8080, 45001));
  aggregator.OnRecord(Record(TcpState::kEstablished, 45000, 8080));
  const Snapshot s = FillFrom(aggregator);
  const PortRow* in = FindRow(s, Direction::kInbound, 8080);
  const PortRow* out = FindRow(s, Direction::kOutbound, 8080);
  ASSERT_NE(in, nullptr);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(in->states[Index(TcpState::kListen)], 1u);
  EXPECT_EQ(in->states[Index(TcpState::kEstablished)], 1u);
  EXPECT_EQ(in->states[Index(TcpState::kCloseWait)], 1u);
  EXPECT_EQ(out->states[Index(TcpState::kEstablished)], 1u);
  EXPECT_FALSE(aggregator.MissedListener());
  EXPECT_EQ(s.ports.size(), 2u);
}

TEST(AggregatorTest, ListenerAfterASocketOnItsPortAsksForASecondPass) {
  Aggregator aggregator({});
  aggregator.OnRecord(Record(TcpState::kEstablished, 40000, 50000));
  aggregator.OnRecord(Listener(50000, 0, 16, Family::kIpv6));
  EXPECT_TRUE(aggregator.MissedListener());
  EXPECT_TRUE(aggregator.Listening().test(50000));
}

TEST(AggregatorTest, ListenerOnAnUnseenPortNeedsNoSecondPass) {
  Aggregator aggregator({});
  aggregator.OnRecord(Record(TcpState::kEstablished, 40000, 443));
  aggregator.OnRecord(Listener(8080, 0, 16));
  EXPECT_FALSE(aggregator.MissedListener());
}

TEST(AggregatorTest, KnownListenersClassifyFromTheFirstRecord) {
  PortSet known;
  known.set(50000);
  Aggregator aggregator({}, &known);
  aggregator.OnRecord(Record(TcpState::kEstablished, 50000, 40000));
  aggregator.OnRecord(Listener(50000, 0, 16));
  EXPECT_FALSE(aggregator.MissedListener());
  const Snapshot s = FillFrom(aggregator);
  EXPECT_NE(FindRow(s, Direction::kInbound, 50000), nullptr);
}

TEST(AggregatorTest, ListenQueuesSumEveryListenerOnAPort) {
  Aggregator aggregator({});
  aggregator.OnRecord(Listener(443, 3, 128));
  aggregator.OnRecord(Listener(443, 2, 128));  // SO_REUSEPORT sibling
  aggregator.OnRecord(Listener(443, 1, 64, Family::kIpv6));
  aggregator.OnRecord(Listener(22, 0, 128));
  const Snapshot s = FillFrom(aggregator);
  ASSERT_EQ(s.listen_queues.size(), 2u);
  EXPECT_EQ(s.listen_queues[0].port, 22);
  EXPECT_EQ(s.listen_queues[1].port, 443);
  EXPECT_EQ(s.listen_queues[1].length, 6u);
  EXPECT_EQ(s.listen_queues[1].limit, 320u);
  EXPECT_EQ(
      FindRow(s, Direction::kInbound, 443)->states[Index(TcpState::kListen)],
      3u);
}

TEST(AggregatorTest, CapKeepsTheBusiestPortsAndFoldsTheRestIntoOther) {
  CountSettings options;
  options.max_ports = 2;
  Aggregator aggregator(options);
  // Outbound ports 1001..1005 with 1..5 sockets each.
  for (std::uint16_t p = 1001; p <= 1005; ++p) {
    for (int i = 0; i < p - 1000; ++i) {
      aggregator.OnRecord(Record(TcpState::kTimeWait, 40000, p));
    }
  }
  aggregator.OnRecord(Listener(80, 0, 8));
  const Snapshot s = FillFrom(aggregator);
  EXPECT_EQ(s.ports_folded[static_cast<std::size_t>(Direction::kOutbound)], 3u);
  EXPECT_EQ(s.ports_folded[static_cast<std::size_t>(Direction::kInbound)], 0u);
  ASSERT_NE(FindRow(s, Direction::kOutbound, 1005), nullptr);
  ASSERT_NE(FindRow(s, Direction::kOutbound, 1004), nullptr);
  EXPECT_EQ(FindRow(s, Direction::kOutbound, 1003), nullptr);
  const PortRow* other = FindRow(s, Direction::kOutbound, std::nullopt);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->states[Index(TcpState::kTimeWait)], 1u + 2u + 3u);
  EXPECT_EQ(s.Totals()[Index(TcpState::kTimeWait)], 15u);
  // Busiest first, "other" last within the direction.
  std::vector<std::optional<std::uint16_t>> order;
  for (const PortRow& row : s.ports) {
    if (row.direction == Direction::kOutbound) order.push_back(row.port);
  }
  EXPECT_EQ(order, (std::vector<std::optional<std::uint16_t>>{1005, 1004,
                                                              std::nullopt}));
}

TEST(AggregatorTest, EqualLoadsAreKeptInPortOrder) {
  CountSettings options;
  options.max_ports = 1;
  Aggregator aggregator(options);
  aggregator.OnRecord(Record(TcpState::kEstablished, 40000, 2000));
  aggregator.OnRecord(Record(TcpState::kEstablished, 40000, 1000));
  const Snapshot s = FillFrom(aggregator);
  EXPECT_EQ(s.ports[0].port, 1000);
}

TEST(AggregatorTest, TellsTheObserverAboutCloseWaitSocketsOnly) {
  struct Seen : CloseWaitObserver {
    void OnCloseWait(std::uint64_t cookie, PortClass port) noexcept override {
      cookies.push_back(cookie);
      ports.push_back(port);
    }
    std::vector<std::uint64_t> cookies;
    std::vector<PortClass> ports;
  } seen;
  Aggregator aggregator({}, nullptr, &seen);
  aggregator.OnRecord(Listener(8080, 0, 8));
  SocketRecord leaked = Record(TcpState::kCloseWait, 8080, 45000);
  leaked.cookie = 77;
  aggregator.OnRecord(leaked);
  aggregator.OnRecord(Record(TcpState::kEstablished, 8080, 45001));
  EXPECT_EQ(seen.cookies, std::vector<std::uint64_t>{77});
  EXPECT_EQ(seen.ports, (std::vector<PortClass>{{Direction::kInbound, 8080}}));
}

TEST(AggregatorTest, UsesTheGivenEphemeralRange) {
  CountSettings options;
  options.ephemeral_range = {1000, 1999};
  Aggregator aggregator(options);
  aggregator.OnRecord(Record(TcpState::kTimeWait, 1500, 40000));
  const Snapshot s = FillFrom(aggregator);
  EXPECT_NE(FindRow(s, Direction::kOutbound, 40000), nullptr);
  EXPECT_EQ(s.ephemeral_range, options.ephemeral_range);
}

SocketRecord Connected(std::uint16_t local, std::uint16_t remote,
                       std::uint32_t rqueue, std::uint32_t wqueue,
                       std::uint8_t timer, std::uint8_t retransmits) {
  SocketRecord r = Record(TcpState::kEstablished, local, remote);
  r.rqueue = rqueue;
  r.wqueue = wqueue;
  r.timer = static_cast<KernelTimer>(timer);
  r.retransmits = retransmits;
  return r;
}

TEST(AggregatorTest, CountsStalledConnectionsPerPortAndKind) {
  Aggregator aggregator({});
  aggregator.OnRecord(Listener(8080, 0, 128));
  aggregator.OnRecord(Connected(8080, 40000, 100, 0, 0, 0));   // unread
  aggregator.OnRecord(Connected(8080, 40001, 50, 0, 2, 0));    // unread
  aggregator.OnRecord(Connected(8080, 40002, 0, 900, 1, 3));   // retransmitting
  aggregator.OnRecord(Connected(8080, 40003, 0, 900, 1, 0));   // not yet
  aggregator.OnRecord(Connected(8080, 40004, 0, 70, 4, 5));    // zero window
  aggregator.OnRecord(Connected(8080, 40005, 0, 0, 2, 0));     // idle
  SocketRecord tw = Record(TcpState::kTimeWait, 8080, 40006);  // not counted
  tw.rqueue = 5;
  aggregator.OnRecord(tw);
  const Snapshot s = FillFrom(aggregator);
  const PortRow* row = FindRow(s, Direction::kInbound, 8080);
  ASSERT_NE(row, nullptr);
  const auto k = [](StallKind kind) { return static_cast<std::size_t>(kind); };
  EXPECT_EQ(row->stalls.sockets[k(StallKind::kUnread)], 2u);
  EXPECT_EQ(row->stalls.bytes[k(StallKind::kUnread)], 150u);
  EXPECT_EQ(row->stalls.sockets[k(StallKind::kRetransmitting)], 1u);
  EXPECT_EQ(row->stalls.bytes[k(StallKind::kRetransmitting)], 900u);
  EXPECT_EQ(row->stalls.sockets[k(StallKind::kZeroWindow)], 1u);
}

TEST(AggregatorTest, ACloseWaitFinIsNotUnreadData) {
  // The peer's FIN takes one byte of sequence space: a CLOSE_WAIT socket
  // whose program has not read the end of the stream shows one byte of
  // receive queue. Only what is beyond it is data.
  Aggregator aggregator({});
  aggregator.OnRecord(Listener(11211, 0, 128));
  for (std::uint16_t p = 40000; p < 40060; ++p) {
    SocketRecord fin = Record(TcpState::kCloseWait, 11211, p);
    fin.rqueue = 1;
    aggregator.OnRecord(fin);
  }
  SocketRecord data = Record(TcpState::kCloseWait, 11211, 41000);
  data.rqueue = 11;  // 10 bytes of request, then the FIN
  aggregator.OnRecord(data);
  const Snapshot s = FillFrom(aggregator);
  const PortRow* row = FindRow(s, Direction::kInbound, 11211);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->stalls.Sockets(StallKind::kUnread), 1u);
  EXPECT_EQ(row->stalls.Bytes(StallKind::kUnread), 10u);
}

TEST(AggregatorTest, FoldedPortsBusyEnoughAreCandidates) {
  CountSettings options;
  options.max_ports = 1;
  options.candidate_min_sockets = 3;
  Aggregator aggregator(options);
  for (int port : {7000, 7001, 7002}) {
    aggregator.OnRecord(Listener(static_cast<std::uint16_t>(port), 0, 8));
  }
  for (int i = 0; i < 5; ++i) {  // 7000 kept
    aggregator.OnRecord(Record(TcpState::kEstablished, 7000,
                               static_cast<std::uint16_t>(40000 + i)));
  }
  for (int i = 0; i < 4; ++i) {  // 7001 folded, a candidate
    aggregator.OnRecord(Record(TcpState::kCloseWait, 7001,
                               static_cast<std::uint16_t>(41000 + i)));
  }
  aggregator.OnRecord(Record(TcpState::kCloseWait, 7002, 42000));  // folded
  const Snapshot s = FillFrom(aggregator);
  ASSERT_EQ(s.folded_candidates.size(), 1u);
  EXPECT_EQ(s.folded_candidates[0].port, 7001);
  EXPECT_EQ(s.folded_candidates[0].states[Index(TcpState::kCloseWait)], 4u);
  EXPECT_EQ(s.ports_folded[0], 2u);
}

}  // namespace
}  // namespace tcpstated
