#include <gtest/gtest.h>

#include "count/aggregator.h"
#include "count/remote_endpoint_counter.h"
#include "record_builders.h"

namespace tcpstated {
namespace {

SocketRecord Client(std::uint8_t last_octet, std::uint16_t remote_port,
                    std::uint16_t local_port = 40000) {
  SocketRecord r =
      testing::Record(TcpState::kTimeWait, local_port, remote_port);
  r.remote_address = {10, 0, 0, last_octet};
  return r;
}

TEST(RemoteEndpointCounterTest, CountsPerAddressAndPortBusiestFirst) {
  RemoteEndpointCounter counter;
  for (int i = 0; i < 3; ++i) counter.Add(Client(1, 6379));
  for (int i = 0; i < 5; ++i) counter.Add(Client(2, 6379));
  counter.Add(Client(1, 5432));
  const auto top = counter.Top(2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].AddressText(), "10.0.0.2");
  EXPECT_EQ(top[0].sockets, 5u);
  EXPECT_EQ(top[1].AddressText(), "10.0.0.1");
  EXPECT_EQ(top[1].port, 6379);
  EXPECT_EQ(counter.overflow(), 0u);
}

TEST(RemoteEndpointCounterTest, IPv6AddressesAreTheirOwnEndpoints) {
  RemoteEndpointCounter counter;
  SocketRecord v6 = Client(1, 443);
  v6.family = Family::kIpv6;
  v6.remote_address = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                       0,    0,    0,    0,    0, 0, 0, 1};
  counter.Add(v6);
  counter.Add(Client(1, 443));
  const auto top = counter.Top(5);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].sockets, 1u);
  EXPECT_EQ(top[1].sockets, 1u);
  EXPECT_TRUE(top[0].AddressText() == "2001:db8::1" ||
              top[1].AddressText() == "2001:db8::1");
}

TEST(RemoteEndpointCounterTest,
     DestinationsBeyondCapacityAreCountedAsOverflow) {
  RemoteEndpointCounter counter;
  const std::size_t room = RemoteEndpointCounter::kCapacity * 3 / 4;
  for (std::size_t i = 0; i < room + 10; ++i) {
    SocketRecord r = Client(1, static_cast<std::uint16_t>(i % 60000));
    r.remote_address[2] = static_cast<std::uint8_t>(i / 60000);
    counter.Add(r);
  }
  EXPECT_EQ(counter.overflow(), 10u);
  EXPECT_EQ(counter.Top(1).size(), 1u);
}

TEST(RemoteEndpointCounterTest, AggregatorCountsOnlyClientSockets) {
  CountSettings options;
  options.ephemeral_range = {32768, 60999};
  Aggregator aggregator(options);
  aggregator.OnRecord(testing::Listener(8080, 0, 8));
  for (int i = 0; i < 4; ++i) aggregator.OnRecord(Client(9, 6379));
  aggregator.OnRecord(Client(9, 45000, /*local_port=*/8080));  // served by us
  aggregator.OnRecord(Client(9, 6379, /*local_port=*/5000));   // not ephemeral
  Snapshot s;
  aggregator.Fill(s);
  ASSERT_EQ(s.remote_endpoints.size(), 1u);
  EXPECT_EQ(s.remote_endpoints[0].sockets, 4u);
  EXPECT_DOUBLE_EQ(s.EphemeralPortPressure(), 4.0 / 28232.0);
}

}  // namespace
}  // namespace tcpstated
