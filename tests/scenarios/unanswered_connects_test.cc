// An upstream whose firewall drops SYNs (a blackhole): curl with 150
// connects in flight and haproxy with 50 for wrk's clients wait in
// SYN_SENT. The larger holder is named first, as a client.
#include "daemon_fixture.h"
#include "scenario.h"

namespace tcpstated::testing {
namespace {

using std::chrono::seconds;

constexpr char kHaproxy[] = R"(global
  maxconn 1000
defaults
  mode http
  retries 0
  timeout connect 100s
  timeout client 100s
  timeout server 100s
frontend front
  bind 127.0.0.1:8081
  default_backend api
backend api
  server upstream 10.88.0.2:8080
)";

TEST_F(ScenarioTest, ConnectsToABlackholedUpstreamWaitInSynSent) {
  Require({"curl", "haproxy", "wrk", "nft"});
  const std::string client = Netns("cli"), upstream = Netns("up");
  Link(client, "10.88.0.1", upstream, "10.88.0.2");
  ASSERT_EQ(Run(upstream,
                "nft add table inet blackhole && nft add chain inet "
                "blackhole input '{ type filter hook input priority "
                "0; }' && nft add rule inet blackhole input tcp "
                "dport 8080 drop")
                .exit_code,
            0);
  std::vector<std::string> curl = {"curl",
                                   "-s",
                                   "-Z",
                                   "--parallel-max",
                                   "150",
                                   "--parallel-immediate",
                                   "--connect-timeout",
                                   "100"};
  for (int i = 0; i < 150; ++i) {
    curl.push_back("http://10.88.0.2:8080/" + std::to_string(i));
    curl.push_back("-o");
    curl.push_back("/dev/null");
  }
  ProcessGroup& curls = Start(client, curl);
  Start(client, {"haproxy", "-db", "-f", Write("haproxy.cfg", kHaproxy)});
  ASSERT_TRUE(WaitFor(
      [&] {
        return Run(client, "ss -Hltn 'sport = :8081'").out.find("LISTEN") !=
               std::string::npos;
      },
      seconds(10)));
  Start(client, {"wrk", "-c50", "-t1", "-d100s", "--timeout", "100s",
                 "http://127.0.0.1:8081/"});

  nlohmann::json report;
  ASSERT_TRUE(WaitFor(
      [&] {
        report = ReportJson(client, "--interval 1s");
        return !report["findings"].empty() &&
               report["findings"][0]["sockets"] == 200;
      },
      seconds(30)))
      << report.dump(2);
  const auto& f = OnlyFinding(report);
  EXPECT_EQ(f["kind"], "syn_sent");
  EXPECT_EQ(f["destination"], "10.88.0.2:8080");
  EXPECT_EQ(f["who"]["role"], "connecting");
  const auto& who = f["who"]["processes"];
  ASSERT_GE(who.size(), 2u) << f.dump(2);
  EXPECT_EQ(who[0]["pid"], curls.pid());
  EXPECT_EQ(who[0]["sockets"], 150);
  EXPECT_EQ(who[1]["command"], "haproxy");
  EXPECT_EQ(who[1]["sockets"], 50);
  EXPECT_EQ(f["cause"], "unanswered");
  EXPECT_GT(f["per_second"].get<double>(), 0) << "SYN retransmits/s";
  const std::string text = ReportText(client);
  EXPECT_EQ(text.rfind("Findings, most severe first\n1. WARNING connects not "
                       "answered: outbound to 10.88.0.2:8080\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("   who: connecting: curl[" +
                      std::to_string(curls.pid()) + "] (150), haproxy["),
            std::string::npos)
      << text;

  const std::string series = DaemonFinds(client, "syn_sent");
  EXPECT_NE(series.find("port=\"8080\""), std::string::npos);
  EXPECT_EQ(FindingSeries().size(), 1u);
  EXPECT_TRUE(WaitFor(
      [&] {
        return DaemonLog().find(
                   "finding: connects not answered: outbound to "
                   "10.88.0.2:8080") != std::string::npos;
      },
      seconds(10)))
      << DaemonLog();
  EXPECT_NE(DaemonLog().find("connecting: curl[" + std::to_string(curls.pid()) +
                             "] (150)"),
            std::string::npos)
      << DaemonLog();
  ExpectAlertFor("TcpConnectsUnanswered", series);
}

}  // namespace
}  // namespace tcpstated::testing
