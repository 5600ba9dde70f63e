// redis publishing to 30 subscribers on another host: when they stop
// reading, redis's connections probe a zero window (the peers' end); when
// this host's firewall drops redis's segments, the same connections probe
// an open window with nothing in flight (this end). Two ends, two causes.
#include "daemon_fixture.h"
#include "scenario.h"
#include "servers.h"

namespace tcpstated::testing {
namespace {

using std::chrono::seconds;

// Subscribes N connections to "news", prints "subscribed"; then reads
// them (with "read") or never does, and stays.
constexpr char kSubscribers[] = R"(import socket, sys, threading, time
n, host, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
subs = []
for _ in range(n):
    s = socket.socket()
    if mode == "stall":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, 6379))
    s.sendall(b"SUBSCRIBE news\r\n")
    subs.append(s)
def drain(s):
    while s.recv(65536):
        pass
if mode == "read":
    for s in subs:
        threading.Thread(target=drain, args=(s,), daemon=True).start()
print("subscribed", flush=True)
time.sleep(3600)
)";

class StallScenario : public ScenarioTest {
 protected:
  // redis in `server_`, 30 subscribers in `clients_`, their connections
  // established before anything is published.
  void StartRedisAndSubscribers(const std::string& mode) {
    Require({"redis-server", "redis-benchmark", "python3", "nft"});
    server_ = Netns("srv");
    clients_ = Netns("sub");
    Link(server_, "10.66.0.1", clients_, "10.66.0.2");
    Start(server_, RedisServer(Dir(), "10.66.0.1"));
    ASSERT_TRUE(WaitFor(
        [&] {
          return Run(server_, "redis-cli -s " + Dir() + "/redis.sock ping")
                     .out == "PONG\n";
        },
        seconds(10)));
    Start(clients_, {"python3", Write("subscribers.py", kSubscribers), "30",
                     "10.66.0.1", mode});
    ASSERT_TRUE(WaitFor(
        [&] {
          return Run(server_,
                     "redis-cli -s " + Dir() + "/redis.sock pubsub numsub news")
                     .out == "news\n30\n";
        },
        seconds(10)));
  }
  // Publishes 10 kB messages through the unix socket.
  void Publish(int messages) {
    const auto published =
        Run(server_, "redis-benchmark -s " + Dir() + "/redis.sock -n " +
                         std::to_string(messages) +
                         " -c 2 -d 10000 -q PUBLISH news __data__");
    ASSERT_EQ(published.exit_code, 0) << published.err;
  }
  // The report's only finding once it is of `kind` (and, given `sockets`,
  // holds that many): right after the publishing, some connections still
  // retransmit before they settle into probing (a one-shot look sees that;
  // the daemon judges over findings.for).
  nlohmann::json FindingOnRedis(const std::string& kind, int sockets = 0) {
    nlohmann::json report;
    EXPECT_TRUE(WaitFor(
        [&] {
          report = ReportJson(server_);
          return report["findings"].size() == 1 &&
                 report["findings"][0]["kind"] == kind &&
                 (sockets == 0 || report["findings"][0]["sockets"] == sockets);
        },
        seconds(20)))
        << report["findings"].dump(2);
    return OnlyFinding(report);
  }
  std::string server_, clients_;
};

TEST_F(StallScenario, SubscribersThatStopReadingAreThePeersEnd) {
  StartRedisAndSubscribers("stall");
  Publish(3000);
  const nlohmann::json f = FindingOnRedis("peer_not_reading", 30);
  EXPECT_EQ(f["ports"], nlohmann::json::array({6379}));
  EXPECT_EQ(f["sockets"], 30);
  EXPECT_EQ(f["who"]["role"], "holding");
  ASSERT_FALSE(f["who"]["processes"].empty()) << f.dump(2);
  EXPECT_EQ(f["who"]["processes"][0]["command"], "redis-server");
  EXPECT_EQ(f["cause"], "zero_window");
  const std::string text = ReportText(server_);
  EXPECT_EQ(text.rfind("Findings, most severe first\n1. WARNING peers not "
                       "reading: inbound port 6379\n",
                       0),
            0u)
      << text;
  const std::string series = DaemonFinds(server_, "peer_not_reading");
  EXPECT_EQ(FindingSeries().size(), 1u);
  EXPECT_TRUE(WaitFor(
      [&] {
        return DaemonLog().find(
                   "finding: peers not reading: inbound port "
                   "6379") != std::string::npos;
      },
      seconds(10)))
      << DaemonLog();
  EXPECT_NE(DaemonLog().find("holding: redis-server["), std::string::npos);
  ExpectAlertFor("TcpConnectionsStalled", series);
}

TEST_F(StallScenario, SegmentsDroppedByThisHostsFirewallAreThisEnd) {
  StartRedisAndSubscribers("read");
  ASSERT_EQ(Run(server_,
                "nft add table inet drop_out && nft add chain inet "
                "drop_out output '{ type filter hook output priority "
                "0; }' && nft add rule inet drop_out output tcp "
                "sport 6379 drop")
                .exit_code,
            0);
  Publish(300);
  const nlohmann::json f = FindingOnRedis("unacknowledged");
  EXPECT_EQ(f["ports"], nlohmann::json::array({6379}));
  EXPECT_EQ(f["who"]["processes"][0]["command"], "redis-server");
  EXPECT_EQ(f["cause"], "not_leaving");
  const std::string why = f["why"];
  EXPECT_NE(why.find("never leave this host"), std::string::npos) << why;
  EXPECT_EQ(why.find("stopped reading"), std::string::npos) << why;
  const std::string text = ReportText(server_);
  EXPECT_EQ(text.rfind("Findings, most severe first\n1. ", 0), 0u) << text;
  EXPECT_EQ(text.find("stopped reading"), std::string::npos) << text;
  const std::string series = DaemonFinds(server_, "unacknowledged");
  EXPECT_EQ(FindingSeries().size(), 1u);
  EXPECT_TRUE(WaitFor(
      [&] {
        return DaemonLog().find("never leave this host") != std::string::npos;
      },
      seconds(10)))
      << DaemonLog();
  ExpectAlertFor("TcpConnectionsStalled", series);
}

}  // namespace
}  // namespace tcpstated::testing
