// redis-benchmark without keep-alive against a redis on another host (a
// namespace linked by veth, so that no loopback rule lets TIME_WAIT ports
// be reused), from a client with 1000 ephemeral ports: they run out.
#include "daemon_fixture.h"
#include "scenario.h"
#include "servers.h"

namespace tcpstated::testing {
namespace {

using std::chrono::seconds;

TEST_F(ScenarioTest, RedisBenchmarkWithoutKeepAliveRunsOutOfPorts) {
  Require({"redis-server", "redis-benchmark", "redis-cli"});
  const std::string server = Netns("srv"), client = Netns("cli");
  Link(server, "10.77.0.1", client, "10.77.0.2");
  ASSERT_EQ(Run(client,
                "sysctl -q -w "
                "net.ipv4.ip_local_port_range='40000 40999'")
                .exit_code,
            0);
  Start(server, RedisServer(Dir(), "10.77.0.1"));
  ASSERT_TRUE(WaitFor(
      [&] {
        return Run(client, "redis-cli -h 10.77.0.1 ping").out == "PONG\n";
      },
      seconds(10)));
  // The application's own pooled connection, held open.
  ProcessGroup& pooled = Start(
      client, {"redis-cli", "-h", "10.77.0.1", "-r", "-1", "-i", "1", "ping"});
  const auto burst = Run(client,
                         "redis-benchmark -h 10.77.0.1 -k 0 -c 5 -n 20000 "
                         "-t ping -q 2>&1");
  EXPECT_NE(burst.out.find("Cannot assign requested address"),
            std::string::npos)
      << burst.out;

  const nlohmann::json report = ReportJson(client);
  const auto& f = OnlyFinding(report);
  EXPECT_EQ(f["kind"], "port_exhaustion");
  EXPECT_EQ(f["severity"], "critical");
  EXPECT_EQ(f["destination"], "10.77.0.1:6379");
  EXPECT_EQ(f["limit"], 1000);
  EXPECT_GE(f["sockets"].get<int>(), 900);
  EXPECT_EQ(f["who"]["role"], "connecting");
  ASSERT_FALSE(f["who"]["processes"].empty()) << f.dump(2);
  EXPECT_EQ(f["who"]["processes"][0]["pid"], pooled.pid());
  EXPECT_EQ(f["cause"], "time_wait_churn");
  const std::string text = ReportText(client);
  EXPECT_EQ(text.rfind("Findings, most severe first\n1. CRITICAL ephemeral "
                       "ports running out: outbound to 10.77.0.1:6379\n",
                       0),
            0u)
      << text;
  // The server's side is quiet: its port is not what runs out.
  EXPECT_TRUE(ReportJson(server)["findings"].empty());

  const std::string series = DaemonFinds(client, "port_exhaustion");
  EXPECT_NE(series.find("address=\"10.77.0.1\""), std::string::npos);
  EXPECT_NE(series.find("port=\"6379\""), std::string::npos);
  EXPECT_EQ(FindingSeries().size(), 1u);
  EXPECT_TRUE(WaitFor(
      [&] {
        return DaemonLog().find(
                   "finding: ephemeral ports running out: outbound to "
                   "10.77.0.1:6379") != std::string::npos;
      },
      seconds(10)))
      << DaemonLog();
  EXPECT_NE(DaemonLog().find("connecting: redis-cli["), std::string::npos)
      << DaemonLog();
  ExpectAlertFor("TcpEphemeralPortsExhausted", series);
}

}  // namespace
}  // namespace tcpstated::testing
