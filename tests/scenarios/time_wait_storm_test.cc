// nginx with keep-alive off under ab: the server closes every connection
// first, so TIME_WAIT piles up on its port; judged against
// tcp_max_tw_buckets and the connections open, not a fixed count.
#include "daemon_fixture.h"
#include "scenario.h"
#include "servers.h"

namespace tcpstated::testing {
namespace {

using std::chrono::seconds;

TEST_F(ScenarioTest, NginxWithKeepAliveOffPilesUpTimeWait) {
  Require({"nginx", "ab", "curl"});
  const std::string server = Netns("web"), client = Netns("cli");
  Link(server, "10.55.0.1", client, "10.55.0.2");
  const std::string conf =
      Write("nginx.conf",
            NginxConfig(Dir(), "listen 10.55.0.1:80;", "keepalive_timeout 0;"));
  ProcessGroup& nginx =
      Start(server, {"nginx", "-c", conf, "-g", "daemon off;"});
  ASSERT_TRUE(WaitFor(
      [&] {
        return Run(client, "curl -s -m 1 http://10.55.0.1/").out == "ok\n";
      },
      seconds(10)));
  const auto load = Run(client, "ab -q -c 20 -n 20000 http://10.55.0.1/ 2>&1");
  EXPECT_NE(load.out.find("Failed requests:        0"), std::string::npos)
      << load.out;

  const nlohmann::json report = ReportJson(server);
  const auto& f = OnlyFinding(report);
  EXPECT_EQ(f["kind"], "time_wait");
  EXPECT_EQ(f["direction"], "inbound");
  EXPECT_EQ(f["ports"], nlohmann::json::array({80}));
  EXPECT_GT(f["sockets"].get<int>(), 6554) << "5% of tcp_max_tw_buckets";
  EXPECT_EQ(f["who"]["role"], "listening");
  ASSERT_FALSE(f["who"]["processes"].empty()) << f.dump(2);
  EXPECT_EQ(f["who"]["processes"][0]["pid"], nginx.pid());
  EXPECT_EQ(f["cause"], "server_closes_first");
  // The client's side is quiet: it did not close first.
  EXPECT_TRUE(ReportJson(client)["findings"].empty());
  const std::string text = ReportText(server);
  EXPECT_EQ(text.rfind("Findings, most severe first\n1. WARNING TIME_WAIT "
                       "pileup: inbound port 80\n",
                       0),
            0u)
      << text;

  const std::string series = DaemonFinds(server, "time_wait");
  EXPECT_NE(series.find("port=\"80\""), std::string::npos);
  EXPECT_EQ(FindingSeries().size(), 1u);
  EXPECT_TRUE(WaitFor(
      [&] {
        return DaemonLog().find("finding: TIME_WAIT pileup: inbound port 80") !=
               std::string::npos;
      },
      seconds(10)))
      << DaemonLog();
  EXPECT_NE(DaemonLog().find("listening: nginx["), std::string::npos);
  ExpectAlertFor("TcpServerTimeWaitPileup", series);
}

}  // namespace
}  // namespace tcpstated::testing
