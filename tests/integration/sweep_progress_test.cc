// The collection thread under --collect.netns all, against the kernel's real
// namespaces: it shows progress namespace by namespace.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "named_netns.h"
#include "socket_scenario.h"
#include "tcpstated/collect/collection_loop.h"
#include "tcpstated/metrics/snapshot_store.h"

namespace tcpstated {
namespace {

// Regression: the watchdog was pinged only between sweeps, so a sweep
// longer than WatchdogSec got a daemon that was making progress killed.
// Now each namespace collected is a ping: by the time the first sweep is
// published, there has been one per namespace.
TEST(SweepProgressTest, EveryNamespaceCollectedPingsTheWatchdog) {
  testing::EnterPrivateNetns();
  std::vector<std::unique_ptr<testing::NamedNetns>> namespaces;
  for (int i = 0; i < 4; ++i) {
    namespaces.push_back(std::make_unique<testing::NamedNetns>(
        "tcpstated-sweep-" + std::to_string(::getpid()) + "-" +
        std::to_string(i)));
  }
  SnapshotStore store;
  std::atomic<int> pings{0};
  std::atomic<int> pings_at_first_publication{-1};
  LoopHooks hooks;
  hooks.watchdog_ping = [&] { ++pings; };
  hooks.on_news = [&] { pings_at_first_publication = pings.load(); };
  CollectionSettings settings;
  settings.interval = std::chrono::hours(1);
  settings.netns = "all";
  CollectionLoop loop(store, settings, hooks);
  for (int i = 0; i < 1000 && pings_at_first_publication < 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  loop.Stop();
  ASSERT_GE(pings_at_first_publication, 0) << "no sweep published";
  const auto view = store.View();
  // The four are empty: a sockstat read each, no snapshot.
  EXPECT_GE(view.health.namespaces_empty, namespaces.size());
  EXPECT_GE(pings_at_first_publication,
            static_cast<int>(view.snapshots.size()));
}

}  // namespace
}  // namespace tcpstated
