// Findings end to end: the daemon reports, logs and ends them; the one-shot
// report puts them first with port, count, who and why.
#include <unistd.h>

#include <fstream>
#include <regex>
#include <thread>

#include "daemon_fixture.h"
#include "socket_scenario.h"
#include "ss_counts.h"
#include "tcpstated/host/cgroup_owners.h"
#include "tcpstated/host/container_names.h"

namespace tcpstated::testing {
namespace {

class FindingsTest : public DaemonTest {};

TEST_F(FindingsTest, DaemonReportsLogsAndEndsACloseWaitPileup) {
  auto scenario = std::make_unique<SocketScenario>();
  const auto port = scenario->Listen(IpFamily::kV4, 0, 64);
  scenario->CloseWait(IpFamily::kV4, port, 8);
  auto daemon =
      StartDaemon({"--collect.interval", "200ms", "--pileup.min-sockets", "5",
                   "--findings.for", "400ms"});
  const std::string series =
      "tcpstate_finding{direction=\"inbound\",kind=\"close_wait\",port=\"" +
      std::to_string(port) + "\"}";
  EXPECT_TRUE(WaitFor([&] { return SampleValue(Scrape().body, series) == 1; },
                      std::chrono::seconds(5)));
  const std::string started = "finding: CLOSE_WAIT pileup: inbound port " +
                              std::to_string(port) + " (8 sockets";
  EXPECT_NE(daemon->Stderr().find(started), std::string::npos)
      << daemon->Stderr();
  EXPECT_NE(daemon->Stderr().find("never calls close()"), std::string::npos);
  // Who holds them: this test's own cgroup, by the name the daemon gives it.
  if (!LocateCgroup2().empty()) {
    const std::string owner =
        ContainerNames(RuntimeStateDirs::None()).Name(OwnCgroupPath()).display;
    // The root cgroup says nothing of who, and is not named.
    EXPECT_EQ(
        daemon->Stderr().find("; unit " + owner + " (8)") != std::string::npos,
        owner != "/")
        << daemon->Stderr();
    EXPECT_EQ(
        SampleValue(Scrape().body,
                    "tcpstate_port_unit_sockets{direction=\"inbound\","
                    "port=\"" +
                        std::to_string(port) +
                        "\",state=\"close_wait\",unit=\"" + owner + "\"}"),
        8);
  }
  // And which process: this one holds the CLOSE_WAIT ends.
  std::string command;
  std::getline(std::ifstream("/proc/self/comm"), command);
  EXPECT_NE(daemon->Stderr().find("; holding: " + command + "[" +
                                  std::to_string(::getpid()) + "] (8)"),
            std::string::npos)
      << daemon->Stderr();

  scenario.reset();  // the leaking server closes its sockets
  EXPECT_TRUE(WaitFor([&] { return !SampleValue(Scrape().body, series); },
                      std::chrono::seconds(5)));
  EXPECT_TRUE(WaitFor(
      [&] {
        return daemon->Stderr().find(
                   "finding ended: CLOSE_WAIT pileup: inbound port " +
                   std::to_string(port)) != std::string::npos;
      },
      std::chrono::seconds(5)))
      << daemon->Stderr();
  EXPECT_EQ(CountOccurrences(daemon->Stderr(), "finding: "), 1)
      << "logged once, not per collection";
}

TEST_F(FindingsTest, DaemonMeasuresHowLongCloseWaitSocketsHaveWaited) {
  SocketScenario scenario;
  const auto port = scenario.Listen(IpFamily::kV4, 0, 64);
  scenario.CloseWait(IpFamily::kV4, port, 6);
  auto daemon = StartDaemon(
      {"--collect.interval", "200ms", "--leak.close-wait-age", "1s"});
  const std::string labels =
      "{direction=\"inbound\",port=\"" + std::to_string(port) + "\"}";
  EXPECT_EQ(
      SampleValue(Scrape().body, "tcpstate_close_wait_old_sockets" + labels),
      0);
  EXPECT_TRUE(WaitFor(
      [&] {
        return SampleValue(Scrape().body,
                           "tcpstate_close_wait_old_sockets" + labels) == 6;
      },
      std::chrono::seconds(5)));
  const auto body = Scrape().body;
  EXPECT_GE(SampleValue(body, "tcpstate_close_wait_oldest_seconds" + labels)
                .value_or(0),
            1.0);
  EXPECT_EQ(SampleValue(body, "tcpstate_close_wait_untracked"), 0);
}

TEST_F(FindingsTest, ReportPutsTheFindingFirstWithWhoAndWhy) {
  SocketScenario scenario;
  const auto port = scenario.Listen(IpFamily::kV6, 0, 256);
  scenario.CloseWait(IpFamily::kV6, port, 120);  // over the default of 100
  // How old: the kernel's time since each socket's last ACK (the peer's
  // FIN); reported once the sockets have waited two seconds.
  const std::regex waiting(", oldest waiting ([0-9]+)s\n");
  std::smatch match;
  CommandResult text;
  ASSERT_TRUE(WaitFor(
      [&] {
        text = RunCommand(kTcpstated + " report");
        return std::regex_search(text.out, match, waiting) &&
               std::stoi(match[1]) >= 2;
      },
      std::chrono::seconds(10)))
      << text.out;
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(
      text.out.rfind("Findings, most severe first\n1. WARNING "
                     "CLOSE_WAIT pileup: inbound port " +
                         std::to_string(port) + "\n   how much: 120 sockets (",
                     0),
      0u)
      << text.out;
  EXPECT_NE(text.out.find("   why: "), std::string::npos);
  ASSERT_TRUE(std::regex_search(text.out, match, waiting)) << text.out;
  EXPECT_LE(std::stoi(match[1]), 10);
  EXPECT_NE(text.out.find("CLOSE_WAIT by age (since the peer closed)"),
            std::string::npos);
  const auto json = RunCommand(kTcpstated + " report --format json");
  EXPECT_EQ(json.out.rfind("{\"findings\":[{\"kind\":\"close_wait\","
                           "\"severity\":\"warning\",",
                           0),
            0u)
      << json.out;
  EXPECT_NE(json.out.find("\"ports\":[" + std::to_string(port) +
                          "],\"sockets\":120,"),
            std::string::npos)
      << json.out;
}

}  // namespace
}  // namespace tcpstated::testing
