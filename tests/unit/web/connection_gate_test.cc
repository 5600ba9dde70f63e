#include "web/connection_gate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace tcpstated {
namespace {

using Verdict = ConnectionGate::Verdict;

struct Evicted {
  std::vector<int> fds;
  ConnectionGate::Evict Recorder() {
    return [this](int fd, ino_t) { fds.push_back(fd); };
  }
};

TEST(ConnectionGateTest, AFullFrontEvictsTheOldestConnectionWithoutARequest) {
  Evicted evicted;
  ConnectionGate gate({3, 3}, evicted.Recorder());
  EXPECT_EQ(gate.Admit(10, 1, "a"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(11, 2, "b"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(12, 3, "c"), Verdict::kAdmitted);
  gate.RequestSeen(10);  // a scraper: never evicted
  EXPECT_EQ(gate.Admit(13, 4, "d"), Verdict::kAdmitted);
  EXPECT_EQ(evicted.fds, std::vector<int>{11});
  EXPECT_EQ(gate.Admit(14, 5, "e"), Verdict::kAdmitted);
  EXPECT_EQ(evicted.fds, (std::vector<int>{11, 12}));
  EXPECT_EQ(gate.size(), 3u);
  gate.RequestSeen(13);
  gate.RequestSeen(14);
  EXPECT_EQ(gate.Admit(15, 6, "f"), Verdict::kFull);  // nothing to evict
  EXPECT_EQ(gate.evictions(), 2u);
}

// A flood that reconnects whatever is closed cycles through every slot in
// no time; a scraper's one connection in its handshake must not go with
// it, however young or old it is.
TEST(ConnectionGateTest, EvictionTakesFromTheClientHoldingTheMost) {
  Evicted evicted;
  ConnectionGate gate({4, 4}, evicted.Recorder());
  EXPECT_EQ(gate.Admit(1, 1, "scraper"), Verdict::kAdmitted);  // the oldest
  EXPECT_EQ(gate.Admit(2, 2, "flood"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(3, 3, "flood"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(4, 4, "flood"), Verdict::kAdmitted);
  for (int fd = 5; fd < 20; ++fd) {  // the flood reconnects, again and again
    EXPECT_EQ(gate.Admit(fd, static_cast<ino_t>(fd), "flood"),
              Verdict::kAdmitted);
  }
  EXPECT_EQ(std::count(evicted.fds.begin(), evicted.fds.end(), 1), 0);
  EXPECT_EQ(evicted.fds.size(), 15u);
  // Two clients with one each: the older goes.
  ConnectionGate pair({2, 2}, evicted.Recorder());
  evicted.fds.clear();
  pair.Admit(7, 1, "a");
  pair.Admit(8, 2, "b");
  pair.Admit(9, 3, "c");
  EXPECT_EQ(evicted.fds, std::vector<int>{7});
}

TEST(ConnectionGateTest, PerClientLimitCountsOnlyLiveConnections) {
  Evicted evicted;
  ConnectionGate gate({10, 2}, evicted.Recorder());
  EXPECT_EQ(gate.Admit(1, 1, "a"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(2, 2, "a"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(3, 3, "a"), Verdict::kClientFull);
  gate.Closed(1);
  EXPECT_EQ(gate.Admit(3, 3, "a"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(4, 4, "b"), Verdict::kAdmitted);
}

TEST(ConnectionGateTest,
     AnEvictedConnectionFreesItsSlotOnceAndIsNotEvictedTwice) {
  Evicted evicted;
  ConnectionGate gate({1, 1}, evicted.Recorder());
  EXPECT_EQ(gate.Admit(5, 1, "a"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(6, 2, "a"), Verdict::kClientFull);
  EXPECT_EQ(gate.Admit(6, 2, "b"), Verdict::kAdmitted);  // evicts 5
  gate.Closed(5);  // its HTTP thread closes it later: no second release
  EXPECT_EQ(gate.size(), 1u);
  EXPECT_EQ(gate.Admit(7, 3, "c"), Verdict::kAdmitted);  // evicts 6
  EXPECT_EQ(evicted.fds, (std::vector<int>{5, 6}));
  EXPECT_EQ(gate.size(), 1u);
}

// A connection the HTTP library dropped before it started is never
// reported closed; its number comes back from accept().
TEST(ConnectionGateTest, AReusedNumberReplacesAStaleEntry) {
  Evicted evicted;
  ConnectionGate gate({2, 2}, evicted.Recorder());
  EXPECT_EQ(gate.Admit(9, 1, "a"), Verdict::kAdmitted);
  EXPECT_EQ(gate.Admit(9, 2, "a"), Verdict::kAdmitted);
  EXPECT_EQ(gate.size(), 1u);
  EXPECT_EQ(gate.Admit(10, 3, "a"), Verdict::kAdmitted);
  EXPECT_TRUE(evicted.fds.empty());
}

}  // namespace
}  // namespace tcpstated
