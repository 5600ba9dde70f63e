// The daemon watching every network namespace while namespaces come and
// go: each series carries its namespace, and a namespace deleted between
// listing and collection is skipped without failing the collection.
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "daemon_fixture.h"
#include "named_netns.h"
#include "socket_scenario.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated::testing {
namespace {

class AllNamespacesTest : public DaemonTest {};

TEST_F(AllNamespacesTest, EverySeriesIsPerNamespaceWhileNamespacesChurn) {
  const std::string prefix = "tcpstated-e2e-" + std::to_string(::getpid());
  const NamedNetns stable(prefix + "-stable");
  SocketScenario scenario;
  {
    const InsideNetns inside(stable.path());
    const auto port = scenario.Listen(IpFamily::kV4, 0, 64);
    scenario.Established(IpFamily::kV4, port, 5);
  }
  auto daemon =
      StartDaemon({"--collect.netns", "all", "--collect.interval", "100ms"});
  ASSERT_FALSE(HasFailure());
  const std::string established = "tcpstate_sockets{netns=\"" + stable.name() +
                                  "\",family=\"ipv4\",state=\"established\"}";

  // Namespaces made and deleted as fast as `ip` can, each with a socket in
  // it for a moment, while the daemon sweeps every 100 ms.
  std::atomic<bool> churning = true;
  std::thread churn([&] {
    for (int i = 0; i < 60; ++i) {
      NamedNetns brief(prefix + "-brief");
      SocketScenario sockets;
      const InsideNetns inside(brief.path());
      sockets.Listen(IpFamily::kV4, 0, 8);
      ::usleep(5'000);
    }
    churning = false;
  });
  int scrapes = 0;
  while (churning) {
    const auto response = Scrape();
    const std::string& body = response.body;
    EXPECT_EQ(SampleValue(body, established), 10) << body;
    EXPECT_EQ(SampleValue(body, "tcpstate_collect_success"), 1) << body;
    ++scrapes;
    ::usleep(20'000);
  }
  churn.join();
  EXPECT_GT(scrapes, 5);

  const std::string body = Scrape().body;
  EXPECT_EQ(
      SampleValue(body, "tcpstate_netns_info{netns=\"" + stable.name() + "\"}"),
      1)
      << body;
  EXPECT_EQ(
      SampleValue(body, "tcpstate_netns_skipped_total{reason=\"denied\"}"), 0);
  for (CollectErrorReason reason : kAllCollectErrorReasons) {
    EXPECT_EQ(SampleValue(body, "tcpstate_collect_errors_total{reason=\"" +
                                    std::string(ReasonName(reason)) + "\"}"),
              0)
        << body;
  }
  // How often the race was won, for the log: not asserted, timing decides.
  std::cout << "namespaces vanished between listing and entering: "
            << SampleValue(body,
                           "tcpstate_netns_skipped_total{reason=\"vanished\"}")
                   .value_or(-1)
            << "\n";
  EXPECT_EQ(daemon->Stderr().find("collection failed"), std::string::npos)
      << daemon->Stderr();
}

}  // namespace
}  // namespace tcpstated::testing
