// The collection thread against sources the test controls: what happens to
// a reload, an exception, a fatal namespace and a stop while a collection
// is under way. Deterministic: the test holds the dump until it has acted.
#include "tcpstated/collect/collection_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <new>

#include "record_builders.h"
#include "recording_publisher.h"

namespace tcpstated {
namespace {

using namespace std::chrono_literals;

// Each Dump() waits until the test opens the gate; the test can wait for a
// dump to have started.
class GatedSource final : public DumpSource {
 public:
  struct Gate {
    std::mutex mutex;
    std::condition_variable changed;
    int started = 0;
    int throw_bad_alloc_on = -1;  // dump number (1-based) that throws
    bool open = false;            // every dump passes at once
    bool WaitStarted(int n, std::chrono::milliseconds timeout) {
      std::unique_lock lock(mutex);
      return changed.wait_for(lock, timeout, [&] { return started >= n; });
    }
    void Open() {
      std::lock_guard lock(mutex);
      open = true;
      changed.notify_all();
    }
  };
  explicit GatedSource(Gate& gate) : gate_(gate) {}
  DumpStats Dump(RecordSink& sink) override {
    int number = 0;
    {
      std::unique_lock lock(gate_.mutex);
      number = ++gate_.started;
      gate_.changed.notify_all();
      // Bounded, so that a failed test cannot leave the loop's destructor
      // waiting on a gate nobody opens.
      gate_.changed.wait_for(lock, 20s, [&] { return gate_.open; });
    }
    if (number == gate_.throw_bad_alloc_on) throw std::bad_alloc();
    sink.OnRecord(testing::Listener(8080, 0, 16));
    return {2, 1, 0, 100, false};
  }

 private:
  Gate& gate_;
};

class CollectionLoopTest : public ::testing::Test {
 protected:
  LoopHooks Hooks() {
    LoopHooks hooks;
    hooks.on_news = [this] { news_ = true; };
    hooks.make_source = [this](const SourceSettings&) {
      ++sources_made_;
      return std::make_unique<GatedSource>(gate_);
    };
    return hooks;
  }
  // The tests never collect from the kernel: a replay path makes the
  // collector "not live" (no sysctls, no cgroups); the source is ours.
  CollectionSettings Settings(std::chrono::milliseconds interval) {
    CollectionSettings settings;
    settings.interval = interval;
    settings.watch.replay_dump = "gated";
    return settings;
  }
  GatedSource::Gate gate_;
  testing::RecordingPublisher store_;
  std::atomic<bool> news_{false};
  std::atomic<int> sources_made_{0};
};

// Regression: the interval was compared only after a non-timeout wake-up,
// so a reload that landed during a collection waited out the old interval.
TEST_F(CollectionLoopTest, AReloadDuringACollectionAppliesToTheWaitAfterIt) {
  CollectionLoop loop(store_, Settings(1h), Hooks());
  ASSERT_TRUE(gate_.WaitStarted(1, 5s));
  loop.Reconfigure(Settings(100ms));  // while dump 1 is held
  gate_.Open();
  EXPECT_TRUE(gate_.WaitStarted(2, 10s)) << "still waiting out the hour";
}

// Regression: a fresh source per collection forgot that the kernel refused
// the legacy request, and paid a failed request every time.
TEST_F(CollectionLoopTest, TheDumpSourceIsKeptAcrossCollections) {
  gate_.Open();
  CollectionLoop loop(store_, Settings(100ms), Hooks());
  ASSERT_TRUE(gate_.WaitStarted(3, 10s));
  EXPECT_EQ(sources_made_, 1);
}

// Regression: anything but a CollectError escaped the thread into
// std::terminate.
TEST_F(CollectionLoopTest, AnExceptionIsCountedAndTheNextCollectionRuns) {
  gate_.throw_bad_alloc_on = 1;
  gate_.Open();
  CollectionLoop loop(store_, Settings(100ms), Hooks());
  ASSERT_TRUE(gate_.WaitStarted(2, 10s));
  for (int i = 0; i < 200 && !store_.HasSnapshot(); ++i) {
    std::this_thread::sleep_for(10ms);  // polling observable state
  }
  EXPECT_TRUE(store_.HasSnapshot());
  EXPECT_EQ(store_.Failures(CollectErrorReason::kInternal), 1u);
}

// Regression: a namespace that could not be entered ended the thread and
// left main waiting for READY for ever.
TEST_F(CollectionLoopTest, ANamespaceThatCannotBeEnteredIsFatalAndSaysSo) {
  CollectionSettings settings = Settings(1h);
  settings.netns = "/nonexistent/netns";
  CollectionLoop loop(store_, settings, Hooks());
  for (int i = 0; i < 500 && !news_; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(news_);
  ASSERT_TRUE(loop.FatalError().has_value());
  EXPECT_NE(loop.FatalError()->find("/nonexistent/netns"), std::string::npos);
  EXPECT_EQ(gate_.started, 0);
}

TEST_F(CollectionLoopTest, StopDoesNotWaitOutTheInterval) {
  gate_.Open();
  CollectionLoop loop(store_, Settings(1h), Hooks());
  ASSERT_TRUE(gate_.WaitStarted(1, 5s));
  const auto asked = std::chrono::steady_clock::now();
  loop.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s);
}

TEST_F(CollectionLoopTest, TheFirstSnapshotIsNews) {
  gate_.Open();
  CollectionLoop loop(store_, Settings(1h), Hooks());
  for (int i = 0; i < 500 && !news_; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(news_);
  EXPECT_TRUE(store_.HasSnapshot());
  EXPECT_FALSE(loop.FatalError());
}

}  // namespace
}  // namespace tcpstated
