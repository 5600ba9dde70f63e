#include "tcpstated/count/close_wait_tracker.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

const PortClass kWeb{Direction::kInbound, 8080};
const PortClass kDb{Direction::kOutbound, 5432};

TEST(CloseWaitTrackerTest, AgesCountFromTheFirstCollectionThatSawASocket) {
  CloseWaitTracker tracker({.max_tracked = 100, .old_after = seconds(60)});
  const auto t0 = Clock::now();
  tracker.BeginCollection(t0);
  tracker.OnCloseWait(1, kWeb);
  EXPECT_EQ(tracker.EndCollection()[0].oldest_seconds, 0);

  tracker.BeginCollection(t0 + seconds(90));
  tracker.OnCloseWait(1, kWeb);
  tracker.OnCloseWait(2, kWeb);
  const auto ages = tracker.EndCollection();
  ASSERT_EQ(ages.size(), 1u);
  EXPECT_EQ(ages[0].port, 8080);
  EXPECT_EQ(ages[0].sockets, 2u);
  EXPECT_EQ(ages[0].oldest_seconds, 90);
  EXPECT_EQ(ages[0].old_sockets, 1u);
}

TEST(CloseWaitTrackerTest, ClosedSocketsAreForgotten) {
  CloseWaitTracker tracker({});
  const auto t0 = Clock::now();
  tracker.BeginCollection(t0);
  tracker.OnCloseWait(1, kWeb);
  tracker.EndCollection();
  tracker.BeginCollection(t0 + seconds(15));
  tracker.OnCloseWait(3, kWeb);
  const auto ages = tracker.EndCollection();
  EXPECT_EQ(tracker.tracked(), 1u);
  EXPECT_EQ(ages[0].oldest_seconds, 0) << "socket 1 is gone; 3 is new";
}

TEST(CloseWaitTrackerTest, PortsAreReportedOldestFirst) {
  CloseWaitTracker tracker({});
  const auto t0 = Clock::now();
  tracker.BeginCollection(t0);
  tracker.OnCloseWait(1, kDb);
  tracker.EndCollection();
  tracker.BeginCollection(t0 + seconds(30));
  tracker.OnCloseWait(1, kDb);
  tracker.OnCloseWait(2, kWeb);
  const auto ages = tracker.EndCollection();
  ASSERT_EQ(ages.size(), 2u);
  EXPECT_EQ(ages[0].direction, Direction::kOutbound);
  EXPECT_EQ(ages[0].oldest_seconds, 30);
  EXPECT_EQ(ages[1].port, 8080);
}

TEST(CloseWaitTrackerTest, SocketsOverTheCapAreCountedNotFollowed) {
  CloseWaitTracker tracker({.max_tracked = 2, .old_after = seconds(1)});
  tracker.BeginCollection(Clock::now());
  for (std::uint64_t cookie = 1; cookie <= 5; ++cookie)
    tracker.OnCloseWait(cookie, kWeb);
  tracker.EndCollection();
  EXPECT_EQ(tracker.tracked(), 2u);
  EXPECT_EQ(tracker.untracked(), 3u);
}

TEST(CloseWaitTrackerTest, ASocketSeenTwiceInOneCollectionCountsOnce) {
  // A repeated dump (late listener) shows every socket again.
  CloseWaitTracker tracker({});
  tracker.BeginCollection(Clock::now());
  tracker.OnCloseWait(1, PortClass{Direction::kOutbound, 40000});
  tracker.OnCloseWait(1, kWeb);
  const auto ages = tracker.EndCollection();
  ASSERT_EQ(ages.size(), 1u);
  EXPECT_EQ(ages[0].sockets, 1u);
  EXPECT_EQ(ages[0].port, 8080) << "the later classification wins";
}

}  // namespace
}  // namespace tcpstated
