// nginx with a backlog of 8 and its worker stopped, under wrk: the accept
// queue fills, the kernel drops SYNs, wrk's clients wait in SYN_SENT.
#include <signal.h>

#include "daemon_fixture.h"
#include "scenario.h"
#include "servers.h"

namespace tcpstated::testing {
namespace {

using std::chrono::seconds;

TEST_F(ScenarioTest, AStoppedNginxWorkerLeavesItsAcceptQueueFull) {
  Require({"nginx", "wrk", "curl"});
  const std::string ns = Netns("web");
  const std::string conf =
      Write("nginx.conf", NginxConfig(Dir(), "listen 80 backlog=8;"));
  ProcessGroup& nginx = Start(ns, {"nginx", "-c", conf, "-g", "daemon off;"});
  ASSERT_TRUE(WaitFor(
      [&] { return Run(ns, "curl -s -m 1 http://127.0.0.1/").out == "ok\n"; },
      seconds(10)));
  const auto workers = nginx.Children();
  ASSERT_EQ(workers.size(), 1u);
  const pid_t worker = workers[0];
  ASSERT_EQ(kill(worker, SIGSTOP), 0);
  Start(ns, {"wrk", "-c100", "-t2", "-d120s", "--timeout", "60s",
             "http://127.0.0.1/"});

  // The report's first finding: the queue, its limit, the stopped worker.
  nlohmann::json report;
  ASSERT_TRUE(WaitFor(
      [&] {
        // Critical once the kernel has dropped SYNs in the interval.
        report = ReportJson(ns, "--interval 1s");
        return !report["findings"].empty() &&
               report["findings"][0]["severity"] == "critical" &&
               report["findings"][0].value("per_second", 0.0) > 0;
      },
      seconds(30)))
      << report.dump(2);
  const auto& f = OnlyFinding(report);
  EXPECT_EQ(f["kind"], "accept_queue");
  EXPECT_EQ(f["ports"], nlohmann::json::array({80}));
  EXPECT_EQ(f["limit"], 8);
  EXPECT_GT(f["per_second"].get<double>(), 0) << "overflows/s";
  EXPECT_EQ(f["who"]["role"], "listening");
  bool stopped_named = false;
  for (const auto& p : f["who"]["processes"]) {
    stopped_named |= p["pid"] == worker && p["state"] == "T";
  }
  EXPECT_TRUE(stopped_named) << f.dump(2);
  EXPECT_EQ(f["cause"], "holder_stopped");
  EXPECT_NE(
      f["why"].get<std::string>().find("nginx[" + std::to_string(worker) + "]"),
      std::string::npos);

  const std::string text = ReportText(ns);
  EXPECT_EQ(text.rfind("Findings, most severe first\n"
                       "1. CRITICAL accept queue full: inbound port 80\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("nginx[" + std::to_string(worker) + "] (1, stopped)"),
            std::string::npos)
      << text;

  const std::string series = DaemonFinds(ns, "accept_queue");
  EXPECT_NE(series.find("port=\"80\""), std::string::npos) << series;
  EXPECT_EQ(FindingSeries().size(), 1u);
  EXPECT_TRUE(WaitFor(
      [&] {
        return DaemonLog().find(
                   "finding: accept queue full: inbound port 80") !=
               std::string::npos;
      },
      seconds(10)))
      << DaemonLog();
  EXPECT_NE(DaemonLog().find("nginx[" + std::to_string(worker) + "]"),
            std::string::npos)
      << DaemonLog();
  ExpectAlertFor("TcpAcceptQueueFull", series);
  kill(worker, SIGCONT);
}

}  // namespace
}  // namespace tcpstated::testing
