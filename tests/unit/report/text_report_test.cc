#include <gtest/gtest.h>

#include "netlink_messages.h"
#include "record_builders.h"
#include "tcpstated/count/collector.h"
#include "tcpstated/diag/replay_source.h"
#include "tcpstated/report/report.h"

namespace tcpstated {
namespace {

std::string ReportOfFixture(std::size_t top) {
  ReplaySource source(testing::FixturePath("mixed-legacy.dump"));
  return FormatTextReport(Collect(source, {}).snapshot,
                          {.top_ports_per_state = top});
}

TEST(TextReportTest, TotalsTableListsEveryStateWithFamilies) {
  const std::string text = ReportOfFixture(5);
  EXPECT_NE(text.find("STATE        TOTAL  IPV4  IPV6\n"
                      "ESTABLISHED     14    10     4\n"
                      "SYN_SENT         2     2     0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("CLOSE_WAIT       2     0     2\n"), std::string::npos);
  EXPECT_NE(text.find("ALL             30    21     9\n"), std::string::npos);
}

TEST(TextReportTest, BusiestPortsPerStateWithDirection) {
  const std::string text = ReportOfFixture(5);
  EXPECT_NE(text.find("CLOSE_WAIT   inbound    8443        2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("TIME_WAIT    outbound   8080        4\n"),
            std::string::npos);
}

TEST(TextReportTest, TopLimitsPortsPerState) {
  const std::string text = ReportOfFixture(1);
  // Four ports have ESTABLISHED sockets; only the busiest is listed.
  EXPECT_NE(text.find("ESTABLISHED  inbound    8080        3\n"
                      "SYN_SENT     outbound   7070        2\n"),
            std::string::npos)
      << text;
}

TEST(TextReportTest, ListenQueuesShowFullness) {
  const std::string text = ReportOfFixture(5);
  EXPECT_NE(text.find("Listen queues\n"
                      "PORT  QUEUED  LIMIT  FULL\n"
                      "7070       1      0  100%\n"
                      "8080       0    128    0%\n"),
            std::string::npos)
      << text;
}

TEST(TextReportTest, BusiestDestinationsShowTheirShareOfEphemeralPorts) {
  const std::string text = ReportOfFixture(5);
  EXPECT_NE(text.find("ADDRESS    PORT  SOCKETS  OF EPHEMERAL PORTS\n"
                      "127.0.0.1  8080        7                0.0%\n"
                      "::1        8443        4                0.0%\n"),
            std::string::npos)
      << text;
}

TEST(TextReportTest, FoldedPortsAreMentioned) {
  Snapshot s;
  s.ports_folded = {0, 4};
  EXPECT_NE(FormatTextReport(s).find(
                "4 outbound ports beyond the cap are counted as \"other\"."),
            std::string::npos);
}

Finding Traced(Finding f, std::vector<ProcessSockets> processes,
               std::uint64_t unreadable = 0) {
  f.evidence.traced = true;
  f.evidence.processes = std::move(processes);
  f.evidence.scan = ProcessScanStats{.processes = 90,
                                     .unreadable = unreadable,
                                     .fds = 900,
                                     .skipped = 0,
                                     .complete = true};
  return f;
}

TEST(TextReportTest, FindingsComeFirstEachOnOneBlock) {
  Snapshot s;
  s.findings = {
      Traced(testing::MakeFinding(FindingKind::kCloseWait, Direction::kInbound,
                                  8080, 120, 0.5),
             {{4242, "leaky-server", 120, 'S'}}),
      Traced(testing::MakeFinding(FindingKind::kCloseWait, Direction::kInbound,
                                  9090, 100, 0.4),
             {}, 12),
  };
  const std::string text = FormatTextReport(s, {});
  EXPECT_EQ(text.rfind("Findings, most severe first\n"
                       "1. WARNING CLOSE_WAIT pileup: inbound port 8080\n"
                       "   how much: 120 sockets (50% of all)\n"
                       "   who: holding: leaky-server[4242] (120)\n"
                       "   why: leaky-server[4242] reads the end of these "
                       "connections on port 8080",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("2. WARNING CLOSE_WAIT pileup: inbound port 9090\n"
                      "   how much: 100 sockets (40% of all)\n"
                      "   who: no process found (12 processes could not be "
                      "read: run as root or with CAP_SYS_PTRACE)\n"),
            std::string::npos)
      << text;
}

TEST(TextReportTest, AQuietHostSaysSoInOneLine) {
  EXPECT_EQ(FormatTextReport(Snapshot{}, {}).rfind("No findings:", 0), 0u);
}

// Churn over the --interval, from the event source: who closes first.
Snapshot ChurnSnapshot() {
  Snapshot s;
  s.churn_enabled = true;
  ChurnRow before{Direction::kInbound, 80, {}, false};
  before.counts.opens = 1000;
  before.counts.closes = {1000, 0, 0};
  ChurnRow now = before;
  now.counts.opens += 4700;
  now.counts.closes = {1000 + 4653, 47, 0};
  ChurnRow refused{Direction::kOutbound, 5432, {}, false};
  ChurnRow refused_now = refused;
  refused_now.counts.failed_connects = 20;
  refused_now.counts.resets = {0, 20};
  s.churn = {now, refused_now};
  s.churn_before = std::vector<ChurnRow>{before, refused};
  s.churn_interval = std::chrono::seconds(2);
  return s;
}

TEST(TextReportTest, ChurnPerPortOverTheInterval) {
  const std::string text =
      FormatTextReport(ChurnSnapshot(), {.top_ports_per_state = 5});
  EXPECT_NE(text.find("\nConnection churn per port (per second over 2.0 s; "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("inbound    80      2350    2350         99%        0%  "
                      "            0.0     0.0          0.0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("outbound   5432     0.0     0.0           -         -  "
                      "           10.0    10.0          0.0\n"),
            std::string::npos)
      << text;
  Snapshot without = ChurnSnapshot();
  without.churn_enabled = false;
  EXPECT_EQ(FormatTextReport(without, {}).find("Connection churn"),
            std::string::npos);
}

}  // namespace
}  // namespace tcpstated
