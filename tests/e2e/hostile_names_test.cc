// Names other users choose: a cgroup directory with invalid UTF-8 and a
// process that renamed itself with quotes, a backslash, an invalid byte and
// a terminal escape. Measured before the sanitizer: Prometheus rejected the
// whole scrape (`up` 0) and JSON reports did not parse.
#include <unistd.h>

#include <memory>

#include "daemon_fixture.h"
#include "socket_scenario.h"
#include "ss_counts.h"
#include "test_cgroup.h"

namespace tcpstated::testing {
namespace {

class HostileNamesTest : public DaemonTest {
 protected:
  void SetUp() override {
    DaemonTest::SetUp();
    if (TestCgroup::Mount().empty()) GTEST_SKIP() << "no cgroup v2 hierarchy";
    cgroup_ = std::make_unique<TestCgroup>("tcpstated-test-" +
                                           std::to_string(::getpid()) +
                                           ".slice/rt-bad\xff\xfeutf.scope");
  }
  std::unique_ptr<TestCgroup> cgroup_;
};

TEST_F(HostileNamesTest, MetricsJsonTextAndLogStayValid) {
  const ProcessName name("a\"b\\c\xff\x1b[2J");
  SocketScenario scenario;
  cgroup_->Enter();
  const auto port = scenario.Listen(IpFamily::kV4, 0, 256);
  scenario.CloseWait(IpFamily::kV4, port, 120);
  cgroup_->Leave();

  auto daemon =
      StartDaemon({"--collect.interval", "200ms", "--findings.for", "0s"});
  ASSERT_TRUE(WaitFor(
      [&] {
        return daemon->Stderr().find("finding: CLOSE_WAIT pileup") !=
               std::string::npos;
      },
      std::chrono::seconds(10)))
      << daemon->Stderr();
  const std::string body = Scrape().body;
  EXPECT_NE(body.find("rt-bad\xEF\xBF\xBD\xEF\xBF\xBDutf.scope"),
            std::string::npos)
      << body;
  const auto lint =
      RunCommand("promtool check metrics < " + WriteFile("metrics", body));
  EXPECT_EQ(lint.out + lint.err, "");
  EXPECT_EQ(daemon->Stderr().find('\x1b'), std::string::npos)
      << "an escape sequence reached the log";
  EXPECT_NE(daemon->Stderr().find("a\"b\\c\xEF\xBF\xBD\xEF\xBF\xBD[2J["),
            std::string::npos)
      << daemon->Stderr();

  const auto json = RunCommand(kTcpstated + " report --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::string json_path = WriteFile("report.json", json.out);
  const auto parsed = RunCommand(
      "python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); "
      "print(r[\"findings\"][0][\"who\"][\"processes\"][0][\"command\"])' " +
      json_path);
  EXPECT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_EQ(parsed.out, "a\"b\\c\xEF\xBF\xBD\xEF\xBF\xBD[2J\n");
  const auto text = RunCommand(kTcpstated + " report");
  EXPECT_EQ(text.out.find('\x1b'), std::string::npos)
      << "an escape sequence reached the terminal";
}

}  // namespace
}  // namespace tcpstated::testing
