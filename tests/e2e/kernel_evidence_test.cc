// The kernel's own evidence beside the counts, end to end in the test's
// private namespace: a listener that never accepts overflows its queue and
// leaves its clients in SYN_SENT (one finding, the queue's); one program
// leaking on thirty ports is one finding, in the report and in the log.
#include <unistd.h>

#include <fstream>
#include <string>

#include "daemon_fixture.h"
#include "socket_scenario.h"
#include "ss_counts.h"

namespace tcpstated::testing {
namespace {

class KernelEvidenceTest : public DaemonTest {};

constexpr std::uint16_t kFullPort = 7200;
constexpr int kUnanswered = 320;

TEST_F(KernelEvidenceTest,
       AListenerThatNeverAcceptsOverflowsAndItsClientsWait) {
  SocketScenario scenario;
  scenario.Listen(IpFamily::kV4, kFullPort, 1);
  scenario.Queued(IpFamily::kV4, kFullPort, 2);  // the queue is full
  scenario.SynSent(IpFamily::kV4, kFullPort, kUnanswered);
  auto daemon =
      StartDaemon({"--collect.interval", "100ms", "--findings.for", "0s"});
  ASSERT_FALSE(HasFailure());

  // Every SYN dropped is an overflow, and the clients retransmit theirs:
  // the counter keeps rising while nothing is accepted.
  const std::string overflows = "tcpstate_listen_overflows_total";
  double first = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        first = SampleValue(Scrape().body, overflows).value_or(0);
        return first > 0;
      },
      std::chrono::seconds(10)));
  EXPECT_TRUE(WaitFor(
      [&] { return SampleValue(Scrape().body, overflows).value_or(0) > first; },
      std::chrono::seconds(10)));
  const std::string port = std::to_string(kFullPort);
  const std::string syn_sent =
      "{direction=\"outbound\",port=\"" + port + "\",state=\"syn_sent\"}";
  const std::string queue_full =
      "tcpstate_finding{direction=\"inbound\",kind=\"accept_queue\",port=\"" +
      port + "\"}";
  EXPECT_TRUE(
      WaitFor([&] { return SampleValue(Scrape().body, queue_full) == 1; },
              std::chrono::seconds(5)));
  const std::string body = Scrape().body;
  // The clients are the queue's story, not a finding of their own.
  EXPECT_EQ(CountOccurrences(body, "\ntcpstate_finding{"), 1) << body;
  EXPECT_EQ(SampleValue(body, "tcpstate_port_sockets" + syn_sent), kUnanswered)
      << body;
  EXPECT_EQ(
      SampleValue(body, "tcpstate_listen_queue_length{port=\"" + port + "\"}"),
      2);
  EXPECT_GE(SampleValue(body, "tcpstate_listen_drops_total").value_or(0),
            first);
  EXPECT_TRUE(SampleValue(body, "tcpstate_sysctl{name=\"tcp_syn_retries\"}")
                  .has_value());

  const auto json = RunCommand(kTcpstated + " report --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.rfind(R"({"findings":[{"kind":"accept_queue",)"
                           R"("severity":"critical",)",
                           0),
            0u)
      << json.out;
  EXPECT_EQ(CountOccurrences(json.out, R"("kind":)"), 1) << json.out;
  const auto text = RunCommand(kTcpstated + " report --interval 1s");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("waiting, limit 1 (the listen() backlog), "),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("overflows/s, " + std::to_string(kUnanswered) +
                          " local connects waiting in SYN_SENT\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("listen_overflows"), std::string::npos) << text.out;
  // Who should accept: this process holds the listener.
  std::string command;
  std::getline(std::ifstream("/proc/self/comm"), command);
  EXPECT_NE(text.out.find("   who: listening: " + command + "[" +
                          std::to_string(::getpid()) + "] (1)"),
            std::string::npos)
      << text.out;
}

TEST_F(KernelEvidenceTest, ALeakOverThirtyPortsByOneProgramIsOneFinding) {
  constexpr int kPorts = 30, kPerPort = 100;  // pileup.min-sockets
  RaiseFdLimit();
  auto daemon =
      StartDaemon({"--collect.interval", "100ms", "--findings.for", "300ms"});
  ASSERT_FALSE(HasFailure());
  SocketScenario scenario;
  const auto leak = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      const auto port = static_cast<std::uint16_t>(7100 + i);
      scenario.Listen(IpFamily::kV4, port, 128);
      scenario.CloseWait(IpFamily::kV4, port, kPerPort);
    }
  };
  const auto flagged = [&](int i) {
    return SampleValue(Scrape().body,
                       "tcpstate_finding{direction=\"inbound\",kind=\"close_"
                       "wait\",port=\"" +
                           std::to_string(7100 + i) + "\"}") == 1;
  };
  // The leak reaches half of its ports first, the rest once those are
  // flagged: as a real one does, port after port.
  leak(0, kPorts / 2);
  ASSERT_TRUE(WaitFor([&] { return flagged(kPorts / 2 - 1); },
                      std::chrono::seconds(10)));
  leak(kPorts / 2, kPorts);
  ASSERT_TRUE(
      WaitFor([&] { return flagged(kPorts - 1); }, std::chrono::seconds(10)));
  for (int i = 0; i < kPorts; ++i) EXPECT_TRUE(flagged(i)) << 7100 + i;
  // However the ports crossed the threshold, one warning.
  const std::string log = daemon->Stderr();
  EXPECT_EQ(CountOccurrences(log, "finding: "), 1) << log;
  EXPECT_EQ(CountOccurrences(log, "never calls close()"), 1) << log;
  EXPECT_NE(log.find("now ports 7100-7129 (30 ports), 3000 sockets"),
            std::string::npos)
      << log;

  const auto text = RunCommand(kTcpstated + " report");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(CountOccurrences(text.out, "CLOSE_WAIT pileup"), 1) << text.out;
  EXPECT_NE(text.out.find("1. WARNING CLOSE_WAIT pileup: inbound ports "
                          "7100-7129 (30 ports)\n   how much: 3000 sockets"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(CountOccurrences(text.out, "   why:"), 1) << text.out;
  const auto json = RunCommand(kTcpstated + " report --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::string ports = "[";
  for (int i = 0; i < kPorts; ++i) {
    ports += (i ? "," : "") + std::to_string(7100 + i);
  }
  EXPECT_NE(json.out.find(R"("ports":)" + ports + R"(],"sockets":3000,)"),
            std::string::npos)
      << json.out;
  EXPECT_EQ(CountOccurrences(json.out, R"("kind":"close_wait")"), 1);
}

// A server that stopped reading: its connections hold data the dump
// reports as unread, flagged once enough of them stall.
TEST_F(KernelEvidenceTest, ConnectionsWhoseDataNobodyReadsAreStalled) {
  constexpr std::uint16_t kStuck = 7300;
  SocketScenario scenario;
  scenario.Listen(IpFamily::kV4, kStuck, 64);
  scenario.Established(IpFamily::kV4, kStuck, 2);  // idle: not stalled
  scenario.Unread(IpFamily::kV4, kStuck, 5, 1000);
  auto daemon =
      StartDaemon({"--collect.interval", "100ms", "--stall.min-sockets", "5",
                   "--findings.for", "200ms"});
  ASSERT_FALSE(HasFailure());
  const std::string labels =
      "{direction=\"inbound\",kind=\"unread\",port=\"7300\"}";
  ASSERT_TRUE(WaitFor(
      [&] {
        return SampleValue(Scrape().body, "tcpstate_finding" + labels) == 1;
      },
      std::chrono::seconds(5)));
  const std::string body = Scrape().body;
  EXPECT_EQ(SampleValue(body, "tcpstate_stalled_sockets" + labels), 5);
  EXPECT_EQ(SampleValue(body, "tcpstate_stalled_bytes" + labels), 5000);
  // Nothing else is flagged.
  EXPECT_EQ(CountOccurrences(body, "\ntcpstate_finding{"), 1) << body;
  EXPECT_NE(daemon->Stderr().find("finding: data not read: inbound port 7300 "
                                  "(5 connections, 5000 bytes queued)"),
            std::string::npos)
      << daemon->Stderr();

  const auto json = RunCommand(kTcpstated + " report --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(
      json.out.find(R"("stalled":[{"kind":"unread","direction":"inbound",)"
                    R"("port":7300,"sockets":5,"bytes":5000}])"),
      std::string::npos)
      << json.out;
}

}  // namespace
}  // namespace tcpstated::testing
