#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <string>

#include "fixture_expectations.h"
#include "process.h"
#include "socket_scenario.h"
#include "ss_counts.h"

namespace tcpstated {
namespace {

using testing::RunCommand;

const std::string kTcpstated = TCPSTATED_BINARY;
const std::string kSockets = TCPSTATED_SOCKETS_BINARY;

// The "sockets" object of `report --format json` for the given counts.
std::string SocketsJson(const StateCounts& counts) {
  std::string json = R"("sockets":{)";
  for (TcpState state : kAllTcpStates) {
    if (state != TcpState::kEstablished) json += ',';
    json += '"' + std::string(StateName(state)) +
            "\":" + std::to_string(counts[Index(state)]);
  }
  return json + "},";
}

StateCounts Sum(const std::array<StateCounts, kFamilyCount>& families) {
  StateCounts total{};
  for (const auto& f : families) AddTo(total, f);
  return total;
}

// Collapses runs of spaces, so that checks do not depend on column widths.
std::string Squeeze(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' || out.empty() || out.back() != ' ') out += c;
  }
  return out;
}

class ReportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::EnterPrivateNetns(); }
};

TEST_F(ReportCommandTest, JsonTotalsEqualTheKernelsInThisNamespace) {
  testing::SocketScenario scenario;
  const auto port = scenario.Listen(testing::IpFamily::kV6, 0, 32);
  scenario.Established(testing::IpFamily::kV6, port, 5);
  scenario.CloseWait(testing::IpFamily::kV6, port, 3);
  const auto result = RunCommand(kTcpstated + " report --format json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(SocketsJson(Sum(testing::CountWithSs()))),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("\"ports\":[{\"direction\":\"inbound\",\"port\":" +
                            std::to_string(port)),
            std::string::npos);
}

TEST_F(ReportCommandTest, TextReportShowsTheNetstatStyleTotals) {
  testing::SocketScenario scenario;
  const auto port = scenario.Listen(testing::IpFamily::kV4, 0, 32);
  scenario.TimeWait(testing::IpFamily::kV4, port, 2);
  const auto result = RunCommand(kTcpstated + " report");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string text = Squeeze(result.out);
  EXPECT_NE(text.find("\nTIME_WAIT 2 2 0\n"), std::string::npos) << result.out;
  EXPECT_NE(text.find("\nTIME_WAIT outbound " + std::to_string(port) + " 2\n"),
            std::string::npos)
      << result.out;
}

TEST_F(ReportCommandTest, RecordedDumpReplaysToTheSameReport) {
  testing::SocketScenario scenario;
  const auto port = scenario.Listen(testing::IpFamily::kV4, 0, 32);
  scenario.Established(testing::IpFamily::kV4, port, 4);
  const std::string dump = ::testing::TempDir() + "/report_command_test.dump";
  const auto live =
      RunCommand(kTcpstated + " report --format json --record-dump " + dump);
  ASSERT_EQ(live.exit_code, 0) << live.err;
  const auto replayed = RunCommand(
      kTcpstated + " report --format json --collect.replay-dump " + dump);
  ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
  // Owners are named from this host's cgroups, so a replay leaves them out:
  // everything else must be the same.
  const auto counts_only = [](const std::string& json) {
    // The kernel's counters are read live; a recording holds sockets only.
    const std::string counts = json.substr(0, json.find("\"kernel\""));
    return std::regex_replace(counts, std::regex(R"("units":\[.*\],"stalled")"),
                              R"("units":[],"stalled")");
  };
  EXPECT_NE(live.out.find(R"("units":[{"unit":)"), std::string::npos)
      << live.out;
  EXPECT_EQ(counts_only(replayed.out), counts_only(live.out));
  EXPECT_NE(replayed.out.find(R"("kernel":{})"), std::string::npos);
  // iproute2 reads our recording too.
  const auto ss =
      RunCommand("TCPDIAG_FILE=" + dump + " ss -tanH | grep -c ESTAB");
  EXPECT_EQ(ss.out, "8\n");
  std::remove(dump.c_str());
}

TEST_F(ReportCommandTest, NetnsOptionReportsAnotherNamedNamespace) {
  const std::string name = "tcpstated-it-" + std::to_string(getpid());
  ASSERT_EQ(RunCommand("ip netns add " + name + " && ip -n " + name +
                       " link set lo up")
                .exit_code,
            0);
  // Sockets held by a helper inside the named namespace until its stdin closes.
  FILE* holder = popen(("exec ip netns exec " + name + " " + kSockets +
                        " listen:v4:8080 established:v4:8080:3 >/dev/null")
                           .c_str(),
                       "w");
  ASSERT_NE(holder, nullptr);
  StateCounts expected{};
  expected[Index(TcpState::kListen)] = 1;
  expected[Index(TcpState::kEstablished)] = 6;
  std::string out;
  // Until the helper has made them all (it runs beside the report).
  EXPECT_TRUE(testing::WaitFor(
      [&] {
        out = RunCommand(kTcpstated + " report --format json --collect.netns " +
                         name)
                  .out;
        return out.find(SocketsJson(expected)) != std::string::npos;
      },
      std::chrono::seconds(10)))
      << out;
  pclose(holder);
  RunCommand("ip netns del " + name);
}

TEST_F(ReportCommandTest, AMissingNamespaceIsAUsageErrorOnOneLine) {
  const auto result =
      RunCommand(kTcpstated + " report --collect.netns tcpstated-no-such-ns");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.out.empty());
  EXPECT_EQ(result.err,
            "tcpstated: collect.netns: cannot open network namespace "
            "/run/netns/tcpstated-no-such-ns: No such file or directory\n");
}

TEST_F(ReportCommandTest, TheOldSpellingsStillWorkForARelease) {
  const auto result = RunCommand(kTcpstated + " report --format json --netns " +
                                 "tcpstated-no-such-ns");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "tcpstated: --netns is deprecated: use --collect.netns (the old "
            "spelling goes in 0.3)\n"
            "tcpstated: collect.netns: cannot open network namespace "
            "/run/netns/tcpstated-no-such-ns: No such file or directory\n");
}

TEST_F(ReportCommandTest, MalformedReplayFailsCleanly) {
  const std::string path = ::testing::TempDir() + "/garbage.dump";
  RunCommand("head -c 100 /dev/urandom > " + path);
  const auto result =
      RunCommand(kTcpstated + " report --collect.replay-dump " + path);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("tcpstated: ", 0), 0u) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
  std::remove(path.c_str());
}

TEST_F(ReportCommandTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunCommand(kTcpstated + " report --format xml").exit_code, 2);
  EXPECT_EQ(RunCommand(kTcpstated + " report --collect.local-port-range 9-1")
                .exit_code,
            2);
  EXPECT_EQ(RunCommand(kTcpstated).exit_code, 2);
  EXPECT_EQ(
      RunCommand(kTcpstated + " --version").out.rfind("tcpstated 0.2.0 (", 0),
      0u);
  EXPECT_EQ(RunCommand(kTcpstated + " report --findings.for 1").exit_code, 2)
      << "a duration wants its unit";
}

}  // namespace
}  // namespace tcpstated
