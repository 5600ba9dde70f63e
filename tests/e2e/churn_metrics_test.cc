// collect.events = bpf in the daemon: churn of a namespace it never
// enters, exact in /metrics, also where no socket is left to dump (and so
// in the report); and, without CAP_BPF and CAP_PERFMON, a clean fallback
// that leaves the counts alone.
#include <unistd.h>

#include <atomic>
#include <regex>
#include <system_error>
#include <thread>

#include "closing_traffic.h"
#include "daemon_fixture.h"
#include "named_netns.h"
#include "ss_counts.h"

namespace tcpstated::testing {
namespace {

class ChurnMetricsTest : public DaemonTest {};

TEST_F(ChurnMetricsTest, CountsClosesByCloserPerNamespace) {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    GTEST_SKIP() << "this kernel has no BTF";
  }
  const NamedNetns netns("tcpstated-churn-" + std::to_string(getpid()));
  auto daemon = StartDaemon({"--collect.netns", "all", "--collect.events",
                             "bpf", "--events.lifetime-ports", "5",
                             "--collect.interval", "200ms"});
  ASSERT_FALSE(HasFailure());
  constexpr std::uint16_t kServicePort = 9200;
  UniqueFd listener;  // kept open: the namespace has a socket to collect
  {
    const InsideNetns inside(netns.path());
    listener = LoopbackListener(kServicePort);
    CloseConnections(listener.get(), kServicePort, 1000, 500);
  }
  const std::string labels =
      "{netns=\"" + netns.name() + "\",direction=\"inbound\",port=\"9200\"";
  const std::string here =
      "tcpstate_port_closes_total" + labels + ",closer=\"here\"}";
  const std::string there =
      "tcpstate_port_closes_total" + labels + ",closer=\"there\"}";
  std::string body;
  EXPECT_TRUE(WaitFor(
      [&] {
        body = Scrape().body;
        return SampleValue(body, here) == 1000 &&
               SampleValue(body, there) == 500;
      },
      std::chrono::seconds(20)))
      << body << daemon->Stderr();
  EXPECT_EQ(SampleValue(body, "tcpstate_port_opens_total" + labels + "}"),
            1500);
  EXPECT_EQ(SampleValue(body, "tcpstate_port_closes_total" + labels +
                                  ",closer=\"reset\"}"),
            0);
  const std::string out =
      "{netns=\"" + netns.name() + "\",direction=\"outbound\",port=\"9200\"";
  EXPECT_EQ(SampleValue(
                body, "tcpstate_port_closes_total" + out + ",closer=\"here\"}"),
            500);
  EXPECT_EQ(
      SampleValue(body, "tcpstate_port_connection_duration_seconds_count" +
                            labels + "}"),
      1500);
  EXPECT_EQ(SampleValue(body, "tcpstate_events_enabled{reason=\"\"}"), 1)
      << body;
  EXPECT_EQ(CountOccurrences(daemon->Stderr(), "counting connection churn"), 1);
  const auto lint =
      RunCommand("promtool check metrics < " + WriteFile("metrics", body));
  EXPECT_EQ(lint.out + lint.err, "");
}

// Refused connects leave no socket behind: a namespace where they are all
// that happens has nothing to dump, and its churn is exported all the same.
TEST_F(ChurnMetricsTest, ANamespaceWithNoSocketLeftShowsItsFailedConnects) {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    GTEST_SKIP() << "this kernel has no BTF";
  }
  const NamedNetns netns("tcpstated-refused-" + std::to_string(getpid()));
  auto daemon = StartDaemon({"--collect.netns", "all", "--collect.events",
                             "bpf", "--collect.interval", "200ms"});
  ASSERT_FALSE(HasFailure());
  {
    const InsideNetns inside(netns.path());
    for (int i = 0; i < 100; ++i) ConnectRefused(9201);
  }
  const std::string failed = "tcpstate_port_failed_connects_total{netns=\"" +
                             netns.name() +
                             "\",direction=\"outbound\",port=\"9201\"}";
  std::string body;
  EXPECT_TRUE(WaitFor(
      [&] {
        body = Scrape().body;
        return SampleValue(body, failed) == 100;
      },
      std::chrono::seconds(20)))
      << failed << " in\n"
      << body << daemon->Stderr();
  // Collected with no socket in it: its counts are there, all zero.
  EXPECT_EQ(SampleValue(body, "tcpstate_sockets{netns=\"" + netns.name() +
                                  "\",family=\"ipv4\",state=\"time_wait\"}"),
            0)
      << body;
}

// The same in `report --collect.netns all --interval`: the interval's
// failed connects, in a namespace with no socket left at its end.
TEST_F(ChurnMetricsTest, TheReportShowsChurnOfANamespaceWithNoSocketLeft) {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    GTEST_SKIP() << "this kernel has no BTF";
  }
  const NamedNetns netns("tcpstated-refused-" + std::to_string(getpid()));
  std::atomic<bool> reporting = true;
  std::string refusing;  // what went wrong, if a connect was not refused
  // Refused connects, paced, for as long as the report runs (at most 30 s).
  std::thread connects([&] {
    const InsideNetns inside(netns.path());
    try {
      for (int i = 0; i < 6000 && reporting; ++i) {
        ConnectRefused(9201);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    } catch (const std::system_error& error) {
      refusing = error.what();
    }
  });
  const auto report =
      RunCommand(std::string(kTcpstated) +
                 " report --config.file /dev/null --collect.netns all"
                 " --collect.events bpf --interval 2s --format json");
  reporting = false;
  connects.join();
  ASSERT_EQ(refusing, "");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto at = report.out.find("\"netns\":\"" + netns.name() + "\"");
  ASSERT_NE(at, std::string::npos) << "the namespace is not in the report";
  const std::string ns =
      report.out.substr(at, report.out.find("{\"netns\":", at) - at);
  std::smatch rate;
  ASSERT_TRUE(std::regex_search(
      ns, rate,
      std::regex(R"re("direction":"outbound","port":9201,.*?)re"
                 R"re("failed_connects_per_second":([0-9.]+))re")))
      << ns;
  EXPECT_GT(std::stod(rate[1]), 0.0) << ns;
}

TEST_F(ChurnMetricsTest, WithoutCapabilitiesCountsGoOnAndSayWhy) {
  // Root, but without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN.
  std::vector<std::string> argv = {"setpriv",
                                   "--bounding-set",
                                   "-bpf,-perfmon,-sys_admin",
                                   kTcpstated,
                                   "run",
                                   "--config.file",
                                   "/dev/null",
                                   "--web.listen-address",
                                   "127.0.0.1:" + std::to_string(kPort),
                                   "--collect.events",
                                   "bpf",
                                   "--collect.interval",
                                   "200ms"};
  ChildProcess daemon(argv);
  std::string body;
  EXPECT_TRUE(WaitFor(
      [&] {
        body = Scrape().body;
        return body.find("tcpstate_sockets{") != std::string::npos;
      },
      std::chrono::seconds(10)))
      << daemon.Stderr();
  EXPECT_EQ(SampleValue(body, "tcpstate_events_enabled{reason=\"permission\"}"),
            0)
      << body;
  EXPECT_EQ(SampleValue(body, "tcpstate_collect_success"), 1);
  EXPECT_EQ(body.find("tcpstate_port_opens_total"), std::string::npos);
  EXPECT_EQ(body.find("tcpstate_events_lost_total"), std::string::npos);
  // One line, saying what is missing.
  EXPECT_EQ(CountOccurrences(daemon.Stderr(), "collect.events = bpf"), 1)
      << daemon.Stderr();
  EXPECT_NE(daemon.Stderr().find("not enabled (permission): not permitted "
                                 "(loading needs CAP_BPF and CAP_PERFMON)"),
            std::string::npos)
      << daemon.Stderr();
}

}  // namespace
}  // namespace tcpstated::testing
