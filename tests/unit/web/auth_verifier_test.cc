#include "web/auth_verifier.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tcpstated {
namespace {

std::shared_ptr<const BasicAuth> Users(int cost) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, salt,
                   sizeof salt);
  crypt_data data{};
  return BasicAuth::Load({{"u", crypt_r("right", salt, &data)}});
}

// Records the order checks finish in; the first check can be held until
// the test has queued the rest.
class Recorder {
 public:
  AuthVerifier::Done Record(std::string name, bool hold = false) {
    return [this, name, hold](bool) {
      std::unique_lock lock(mutex_);
      order_.push_back(name);
      changed_.notify_all();
      if (hold) changed_.wait(lock, [&] { return released_; });
    };
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  std::vector<std::string> WaitFor(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(30),
                      [&] { return order_.size() >= count; });
    return order_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> order_;
  bool released_ = false;
};

TEST(AuthVerifierTest, TakesOneCheckFromEachClientInTurn) {
  Recorder recorder;  // outlives the verifier, which may still call it
  AuthVerifier verifier;
  const auto auth = Users(4);
  ASSERT_EQ(verifier.Submit("x", false, auth, {"u", "bad"},
                            recorder.Record("x", true)),
            AuthVerifier::Outcome::kQueued);
  recorder.WaitFor(1);  // x is done and held: the thread waits for us
  for (const char* name : {"a1", "a2", "a3"}) {
    verifier.Submit("flood", false, auth, {"u", "bad"}, recorder.Record(name));
  }
  verifier.Submit("scraper", false, auth, {"u", "right"}, recorder.Record("s"));
  recorder.Release();
  const auto order = recorder.WaitFor(5);
  EXPECT_EQ(order, (std::vector<std::string>{"x", "a1", "s", "a2", "a3"}));
}

TEST(AuthVerifierTest, OneClientCannotHoldMoreThanItsShare) {
  Recorder recorder;
  AuthVerifier verifier(AuthVerifier::Limits{8, 2});
  const auto auth = Users(4);
  verifier.Submit("x", false, auth, {"u", "bad"}, recorder.Record("x", true));
  recorder.WaitFor(1);
  EXPECT_EQ(
      verifier.Submit("a", false, auth, {"u", "bad"}, recorder.Record("a")),
      AuthVerifier::Outcome::kQueued);
  EXPECT_EQ(
      verifier.Submit("a", false, auth, {"u", "bad"}, recorder.Record("a")),
      AuthVerifier::Outcome::kQueued);
  EXPECT_EQ(
      verifier.Submit("a", false, auth, {"u", "bad"}, recorder.Record("a")),
      AuthVerifier::Outcome::kClientBusy);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(verifier.Submit("c" + std::to_string(i), false, auth,
                              {"u", "bad"}, recorder.Record("c")),
              AuthVerifier::Outcome::kQueued);
  }
  EXPECT_EQ(
      verifier.Submit("d", false, auth, {"u", "bad"}, recorder.Record("d")),
      AuthVerifier::Outcome::kBusy);
  recorder.Release();
}

TEST(AuthVerifierTest, AClientWithoutWrongPasswordsGoesFirst) {
  Recorder recorder;
  AuthVerifier verifier;
  const auto auth = Users(4);
  verifier.Submit("x", false, auth, {"u", "bad"}, recorder.Record("x", true));
  recorder.WaitFor(1);
  for (int i = 0; i < 10; ++i) {
    verifier.Submit("guesser" + std::to_string(i), false, auth, {"u", "bad"},
                    recorder.Record("g"));
  }
  verifier.Submit("scraper", true, auth, {"u", "right"}, recorder.Record("s"));
  recorder.Release();
  EXPECT_EQ(recorder.WaitFor(2)[1], "s");
}

// A guesser's first check is trusted (no wrong password yet); its next
// ones are not, and must not keep it ahead of everyone else.
TEST(AuthVerifierTest, OnlyTheNextCheckDecidesWhereAClientQueues) {
  Recorder recorder;
  AuthVerifier verifier;
  const auto auth = Users(4);
  verifier.Submit("x", false, auth, {"u", "bad"}, recorder.Record("x", true));
  recorder.WaitFor(1);
  verifier.Submit("guesser", true, auth, {"u", "bad"}, recorder.Record("g1"));
  verifier.Submit("guesser", false, auth, {"u", "bad"}, recorder.Record("g2"));
  verifier.Submit("guesser", false, auth, {"u", "bad"}, recorder.Record("g3"));
  verifier.Submit("other", false, auth, {"u", "bad"}, recorder.Record("o"));
  recorder.Release();
  EXPECT_EQ(recorder.WaitFor(5),
            (std::vector<std::string>{"x", "g1", "o", "g2", "g3"}));
}

// Regression: Stop() joined the thread, so a stop waited for the bcrypt
// under way (hours at cost 31).
TEST(AuthVerifierTest, StopRefusesTheCheckUnderWayWithoutWaitingForIt) {
  AuthVerifier verifier;
  std::atomic<int> calls{0};
  std::atomic<bool> allowed{true};
  ASSERT_EQ(verifier.Submit("a", false, Users(12), {"u", "right"},
                            [&](bool ok) {
                              allowed = ok;
                              ++calls;
                            }),
            AuthVerifier::Outcome::kQueued);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!verifier.Busy() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_TRUE(verifier.Busy());
  verifier.Stop();
  // Refused by Stop() itself, which did not wait for the check: it is
  // still under way (cost 12 takes well over 100 ms on any machine).
  EXPECT_EQ(calls.load(), 1);
  EXPECT_FALSE(allowed.load());
  EXPECT_EQ(verifier.Submit("a", false, Users(4), {"u", "right"}, [](bool) {}),
            AuthVerifier::Outcome::kStopped);
}

}  // namespace
}  // namespace tcpstated
