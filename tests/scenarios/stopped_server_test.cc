// memcached stopped (SIGSTOP) while its clients hang up: its sockets go to
// CLOSE_WAIT because nothing runs to close them, not because of a missing
// close().
#include <signal.h>

#include "daemon_fixture.h"
#include "scenario.h"

namespace tcpstated::testing {
namespace {

using std::chrono::seconds;

// Opens N connections to memcached, asks each for its version, stops the
// server (pid given), waits until every one of its threads has stopped (a
// thread still running would close the first connections to hang up),
// then exits: the connections close from this side.
constexpr char kClients[] = R"py(import os, signal, socket, sys, time
n, server = int(sys.argv[1]), int(sys.argv[2])
conns = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", 11211))
    s.sendall(b"version\r\n")
    s.recv(100)
    conns.append(s)
os.kill(server, signal.SIGSTOP)
def stopped():
    tasks = f"/proc/{server}/task"
    return all(open(f"{tasks}/{t}/stat").read().rsplit(")", 1)[1].split()[0]
               == "T" for t in os.listdir(tasks))
for _ in range(1000):
    if stopped():
        break
    time.sleep(0.01)
else:
    sys.exit("memcached did not stop")
)py";

TEST_F(ScenarioTest, AStoppedMemcachedIsNotAMissingClose) {
  Require({"memcached", "python3"});
  const std::string ns = Netns("mc");
  ProcessGroup& memcached =
      Start(ns, {"memcached", "-u", "root", "-l", "127.0.0.1", "-p", "11211",
                 "-U", "0", "-t", "2", "-c", "4096"});
  ASSERT_TRUE(WaitFor(
      [&] {
        return Run(ns,
                   "python3 -c 'import socket; socket.create_connection("
                   "(\"127.0.0.1\", 11211)).close()'")
                   .exit_code == 0;
      },
      seconds(10)));
  const auto clients = Run(ns, "python3 " + Write("clients.py", kClients) +
                                   " 150 " + std::to_string(memcached.pid()));
  ASSERT_EQ(clients.exit_code, 0) << clients.err;

  nlohmann::json report;
  ASSERT_TRUE(WaitFor(
      [&] {
        report = ReportJson(ns);
        return !report["findings"].empty();
      },
      seconds(10)));
  const auto& f = OnlyFinding(report);
  EXPECT_EQ(f["kind"], "close_wait");
  EXPECT_EQ(f["ports"], nlohmann::json::array({11211}));
  EXPECT_EQ(f["sockets"], 150);
  EXPECT_EQ(f["who"]["role"], "holding");
  ASSERT_EQ(f["who"]["processes"].size(), 1u) << f.dump(2);
  EXPECT_EQ(f["who"]["processes"][0]["pid"], memcached.pid());
  EXPECT_EQ(f["who"]["processes"][0]["state"], "T");
  EXPECT_EQ(f["cause"], "holder_stopped");
  EXPECT_EQ(f["why"].get<std::string>().find("never calls close()"),
            std::string::npos);
  // Each socket's one byte of receive queue is the peer's FIN, not data.
  EXPECT_EQ(f.find("bytes"), f.end()) << f.dump(2);
  EXPECT_TRUE(report["stalled"].empty()) << report["stalled"].dump(2);
  const std::string text = ReportText(ns);
  EXPECT_EQ(text.rfind("Findings, most severe first\n1. WARNING CLOSE_WAIT "
                       "pileup: inbound port 11211\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("holding: memcached[" + std::to_string(memcached.pid()) +
                      "] (150, stopped)"),
            std::string::npos)
      << text;

  const std::string series = DaemonFinds(ns, "close_wait");
  EXPECT_NE(series.find("port=\"11211\""), std::string::npos);
  EXPECT_EQ(FindingSeries().size(), 1u);
  EXPECT_TRUE(WaitFor(
      [&] {
        return DaemonLog().find("memcached[" + std::to_string(memcached.pid()) +
                                "] (150, stopped)") != std::string::npos;
      },
      seconds(10)))
      << DaemonLog();
  EXPECT_EQ(DaemonLog().find("never calls close()"), std::string::npos);
  ExpectAlertFor("TcpCloseWaitPileup", series);
  kill(memcached.pid(), SIGCONT);
}

}  // namespace
}  // namespace tcpstated::testing
