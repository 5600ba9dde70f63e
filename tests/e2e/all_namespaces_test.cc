// The daemon watching every network namespace while namespaces come and
// go: each series carries its namespace, and a namespace deleted between
// listing and collection is skipped without failing the collection.
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

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

// A container host's many namespaces stay a bounded exposition: empty ones
// have no series, and beyond netns.max the quietest are summed as "other".
TEST_F(AllNamespacesTest, EmptyNamespacesAreCountedAndQuietOnesFolded) {
  const std::string prefix = "tcpstated-e2e-fold-" + std::to_string(::getpid());
  std::vector<std::unique_ptr<NamedNetns>> busy, empty;
  SocketScenario scenario;
  for (int i = 0; i < 3; ++i) {
    busy.push_back(
        std::make_unique<NamedNetns>(prefix + "-busy" + std::to_string(i)));
    const InsideNetns inside(busy.back()->path());
    scenario.Listen(IpFamily::kV4, 0, 8);
  }
  for (int i = 0; i < 2; ++i) {
    empty.push_back(
        std::make_unique<NamedNetns>(prefix + "-empty" + std::to_string(i)));
  }
  auto daemon = StartDaemon({"--collect.netns", "all", "--collect.interval",
                             "100ms", "--netns.max", "1"});
  ASSERT_FALSE(HasFailure());
  std::string body;
  ASSERT_TRUE(WaitFor(
      [&] {
        body = Scrape().body;
        return SampleValue(body, "tcpstate_netns_folded").value_or(0) >= 2;
      },
      std::chrono::seconds(5)))
      << body;
  EXPECT_GE(SampleValue(body, "tcpstate_netns_empty").value_or(0), 2);
  EXPECT_EQ(SampleValue(body, "tcpstate_netns_info{netns=\"other\"}"), 1)
      << body;
  int exported = 0;
  for (std::size_t at = body.find("\ntcpstate_netns_info{");
       at != std::string::npos;
       at = body.find("\ntcpstate_netns_info{", at + 1)) {
    ++exported;
  }
  EXPECT_EQ(exported, 2) << body;  // the busiest and "other"
  for (const auto& ns : empty) {
    EXPECT_EQ(body.find("netns=\"" + ns->name() + "\""), std::string::npos)
        << body;
  }
}

}  // namespace
}  // namespace tcpstated::testing
