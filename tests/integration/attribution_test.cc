// Sockets attributed to the unit and process that own them: a test cgroup
// named like a systemd service makes a CLOSE_WAIT leak while this process
// calls itself "leaky-server", and the report names both.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "named_netns.h"
#include "socket_scenario.h"
#include "ss_counts.h"
#include "test_cgroup.h"

namespace tcpstated {
namespace {

using testing::RunCommand;

const std::string kTcpstated = TCPSTATED_BINARY;

using testing::ProcessName;

// A cgroup "tcpstated-test-PID.slice/leaky.service" for the test's lifetime.
// Sockets the test makes while inside it belong to it for good.
class AttributionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::EnterPrivateNetns();
    if (testing::TestCgroup::Mount().empty()) {
      GTEST_SKIP() << "no cgroup v2 hierarchy mounted";
    }
    unit_ = std::make_unique<testing::TestCgroup>("tcpstated-test-" +
                                                  std::to_string(::getpid()) +
                                                  ".slice/leaky.service");
  }
  std::unique_ptr<testing::TestCgroup> unit_;
};

TEST_F(AttributionTest, ReportNamesTheUnitAndProcessOfACloseWaitPileup) {
  const ProcessName name("leaky-server");
  constexpr int kLeaked = 120;  // over the one-shot CLOSE_WAIT threshold
  testing::SocketScenario scenario;
  unit_->Enter();
  const auto port = scenario.Listen(testing::IpFamily::kV4, 0, 256);
  scenario.CloseWait(testing::IpFamily::kV4, port, kLeaked);
  unit_->Leave();
  // Made outside the unit: counted for this test's own cgroup.
  scenario.Established(testing::IpFamily::kV4, port, 2);

  const auto json = RunCommand(kTcpstated + " report --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  // The listener, the sockets it leaks, and the two it accepted later:
  // accepted sockets belong to their listener's cgroup, wherever the client
  // was. The client ends of the leak, orphaned in FIN_WAIT2, have no owner.
  EXPECT_NE(
      json.out.find(R"({"unit":"leaky.service","states":{"established":2,)"
                    R"("syn_sent":0,"syn_recv":0,"fin_wait1":0,)"
                    R"("fin_wait2":0,"time_wait":0,"close":0,)"
                    R"("close_wait":120,"last_ack":0,"listen":1,)"
                    R"("closing":0}})"),
      std::string::npos)
      << json.out;
  EXPECT_NE(
      json.out.find(R"("units":[{"unit":"leaky.service","sockets":120}])"),
      std::string::npos)
      << json.out;

  const auto text = RunCommand(kTcpstated + " report");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  // The finding comes first, and names who holds the sockets.
  EXPECT_EQ(text.out.rfind("Findings, most severe first\n1. WARNING "
                           "CLOSE_WAIT pileup: inbound port " +
                               std::to_string(port) + "\n   how much: " +
                               std::to_string(kLeaked) + " sockets",
                           0),
            0u)
      << text.out;
  const std::string process = "leaky-server[" + std::to_string(::getpid()) +
                              "] (" + std::to_string(kLeaked) + ")";
  EXPECT_NE(text.out.find("   who: holding: " + process +
                          "; unit leaky.service (120)\n"),
            std::string::npos)
      << text.out;
  EXPECT_NE(
      json.out.find(R"("processes":[{"pid":)" + std::to_string(::getpid()) +
                    R"(,"command":"leaky-server","sockets":120,"state":"S"}])"),
      std::string::npos)
      << json.out;
}

// The same leak in a container-like namespace, found by watching them all.
TEST_F(AttributionTest, ReportOfEveryNamespaceNamesTheHolderOfALeakInOne) {
  constexpr int kLeaked = 120;
  const ProcessName name("leaky-server");
  const testing::NamedNetns netns("tcpstated-test-leak-" +
                                  std::to_string(::getpid()));
  testing::SocketScenario scenario;
  {
    const testing::InsideNetns inside(netns.path());
    unit_->Enter();
    const auto port = scenario.Listen(testing::IpFamily::kV6, 0, 256);
    scenario.CloseWait(testing::IpFamily::kV6, port, kLeaked);
    unit_->Leave();
  }

  const auto json =
      RunCommand(kTcpstated + " report --collect.netns all --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto start = json.out.find(R"({"netns":")" + netns.name() + "\"");
  ASSERT_NE(start, std::string::npos) << json.out;
  const std::string object =
      json.out.substr(start, json.out.find(R"({"netns":")", start + 1) - start);
  EXPECT_NE(object.find(R"("units":[{"unit":"leaky.service","sockets":120}])"),
            std::string::npos)
      << object;
  EXPECT_NE(
      object.find(R"("processes":[{"pid":)" + std::to_string(::getpid()) +
                  R"(,"command":"leaky-server","sockets":120,"state":"S"}])"),
      std::string::npos)
      << object;
}

}  // namespace
}  // namespace tcpstated
