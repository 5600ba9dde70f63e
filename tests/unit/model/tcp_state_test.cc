#include "tcpstated/model/tcp_state.h"

#include <gtest/gtest.h>

#include <set>

namespace tcpstated {
namespace {

TEST(TcpStateTest, LabelNamesFollowTheMetricsContract) {
  std::string all;
  for (TcpState s : kAllTcpStates) all += std::string(StateName(s)) + " ";
  EXPECT_EQ(all,
            "established syn_sent syn_recv fin_wait1 fin_wait2 time_wait close "
            "close_wait last_ack listen closing ");
}

TEST(TcpStateTest, NamesRoundTrip) {
  std::set<std::string_view> seen;
  for (TcpState s : kAllTcpStates) {
    EXPECT_EQ(StateFromName(StateName(s)), s);
    EXPECT_TRUE(seen.insert(StateNetstatName(s)).second);
  }
  EXPECT_EQ(StateFromName("TIME_WAIT"), std::nullopt);
}

TEST(TcpStateTest, TotalAddsEveryState) {
  StateCounts counts{};
  counts[0] = 3;
  counts[10] = 4;
  EXPECT_EQ(Total(counts), 7u);
}

}  // namespace
}  // namespace tcpstated
