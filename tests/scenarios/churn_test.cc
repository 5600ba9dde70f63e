// collect.events = bpf in the report, during real load: nginx with
// keep-alive off under wrk closes every connection first. The report's
// churn section shows the close rate on its port, all of it closed here,
// and the TIME_WAIT finding cites it.
#include <regex>

#include "scenario.h"
#include "servers.h"

namespace tcpstated::testing {
namespace {

using std::chrono::seconds;

TEST_F(ScenarioTest, ReportShowsTheCloseRateOfNginxWithKeepAliveOff) {
  Require({"nginx", "wrk", "curl"});
  const std::string server = Netns("web"), client = Netns("cli");
  Link(server, "10.56.0.1", client, "10.56.0.2");
  const std::string conf =
      Write("nginx.conf",
            NginxConfig(Dir(), "listen 10.56.0.1:80;", "keepalive_timeout 0;"));
  Start(server, {"nginx", "-c", conf, "-g", "daemon off;"});
  ASSERT_TRUE(WaitFor(
      [&] {
        return Run(client, "curl -s -m 1 http://10.56.0.1/").out == "ok\n";
      },
      seconds(10)));
  // Load for longer than the reports below take, however slow the host.
  Start(client,
        {"wrk", "-c", "8", "-t", "1", "-d", "60s", "http://10.56.0.1/"});
  // Enough TIME_WAIT for a finding: 5 % of tcp_max_tw_buckets (6,554).
  ASSERT_TRUE(WaitFor(
      [&] {
        return std::stoi(Run(server, "ss -Htn state time-wait | wc -l").out) >
               7000;
      },
      seconds(40)));

  const nlohmann::json report =
      ReportJson(server, "--collect.events bpf --interval 1s");
  ASSERT_TRUE(report.contains("churn")) << report.dump(2);
  EXPECT_GT(report["churn"]["interval_seconds"].get<double>(), 0.9);
  const nlohmann::json* port80 = nullptr;
  for (const auto& row : report["churn"]["ports"]) {
    if (row["direction"] == "inbound" && row["port"] == 80) port80 = &row;
  }
  ASSERT_NE(port80, nullptr) << report["churn"].dump(2);
  const auto& closes = (*port80)["closes_per_second"];
  const double here = closes["here"].get<double>();
  const double there = closes["there"].get<double>();
  EXPECT_GT(here, 50) << "wrk makes thousands of requests per second";
  EXPECT_GE(here, 0.99 * (here + there + closes["reset"].get<double>()))
      << "nginx closes first: " << port80->dump();
  EXPECT_GT((*port80)["opens_per_second"].get<double>(), 50);

  const std::string text =
      ReportText(server, "--collect.events bpf --interval 1s");
  EXPECT_NE(text.find("\nConnection churn per port (per second over "),
            std::string::npos)
      << text;
  EXPECT_TRUE(std::regex_search(
      text, std::regex("\ninbound +80 +[0-9]+ +[0-9]+ +(99|100)%")))
      << text;
  // The pileup's finding cites the rate.
  bool cited = false;
  for (const auto& f : report["findings"]) {
    if (f["kind"] != "time_wait") continue;
    cited = true;
    EXPECT_GT(f["churn"]["closes_per_second"]["here"].get<double>(), 50);
    EXPECT_TRUE(std::regex_search(
        f["why"].get<std::string>(),
        std::regex("churn: [0-9,.]+ closes/s on port 80, (99|100) % closed "
                   "here first")))
        << f["why"];
  }
  EXPECT_TRUE(cited) << report["findings"].dump(2);
}

}  // namespace
}  // namespace tcpstated::testing
