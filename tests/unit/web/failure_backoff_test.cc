#include "web/failure_backoff.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

using namespace std::chrono_literals;
using Verdict = FailureBackoff::Verdict;

TEST(FailureBackoffTest, ABurstOfGuessesThenOneASecond) {
  FailureBackoff backoff({3, 1s, 100});
  const auto t0 = FailureBackoff::Clock::time_point{} + 1h;
  EXPECT_EQ(backoff.Take("a", t0), Verdict::kTrusted);
  EXPECT_EQ(backoff.Take("a", t0), Verdict::kAllowed);
  EXPECT_EQ(backoff.Take("a", t0), Verdict::kAllowed);
  EXPECT_EQ(backoff.Take("a", t0), Verdict::kRefused);
  EXPECT_EQ(backoff.Take("b", t0), Verdict::kTrusted);  // not slowed
  EXPECT_EQ(backoff.Take("a", t0 + 500ms), Verdict::kRefused);
  EXPECT_EQ(backoff.Take("a", t0 + 1100ms), Verdict::kAllowed);
  EXPECT_EQ(backoff.Take("a", t0 + 1200ms), Verdict::kRefused);
}

TEST(FailureBackoffTest, ARightPasswordGivesItsTokenBack) {
  FailureBackoff backoff({2, 1s, 100});
  const auto t0 = FailureBackoff::Clock::time_point{} + 1h;
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(backoff.Take("scraper", t0), Verdict::kTrusted) << i;
    backoff.GiveBack("scraper");
  }
}

TEST(FailureBackoffTest, RemembersABoundedNumberOfClients) {
  FailureBackoff backoff({1, 1h, 2});
  const auto t0 = FailureBackoff::Clock::time_point{} + 1h;
  EXPECT_EQ(backoff.Take("a", t0), Verdict::kTrusted);
  EXPECT_EQ(backoff.Take("b", t0 + 1s), Verdict::kTrusted);
  // "a", the oldest, is forgotten
  EXPECT_EQ(backoff.Take("c", t0 + 2s), Verdict::kTrusted);
  EXPECT_EQ(backoff.Take("b", t0 + 3s), Verdict::kRefused);
  EXPECT_EQ(backoff.Take("a", t0 + 4s), Verdict::kTrusted);
}

}  // namespace
}  // namespace tcpstated
