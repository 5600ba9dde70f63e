// Every network namespace of the host: counted separately and exactly, and
// namespaces that go away between listing and collection are skipped.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "named_netns.h"
#include "socket_scenario.h"
#include "ss_counts.h"
#include "tcpstated/host/network_namespaces.h"

namespace tcpstated {
namespace {

using testing::InsideNetns;
using testing::IpFamily;
using testing::NamedNetns;
using testing::RunCommand;

const std::string kTcpstated = TCPSTATED_BINARY;

std::string TestName(const std::string& what) {
  return "tcpstated-test-" + what + "-" + std::to_string(::getpid());
}

std::optional<NetworkNamespace> Listed(const std::string& name) {
  for (NetworkNamespace& ns : ListNetworkNamespaces()) {
    if (ns.name == name) return ns;
  }
  return std::nullopt;
}

// The JSON object of one namespace in `report --collect.netns all --format
// json`.
std::string NamespaceObject(const std::string& json, const std::string& name) {
  const auto start = json.find(R"({"netns":")" + name + "\"");
  if (start == std::string::npos) return "";
  const auto end = json.find(R"({"netns":")", start + 1);
  return json.substr(start, end == std::string::npos ? end : end - start);
}

std::string IPv4Sockets(int established, int time_wait, int close_wait,
                        int fin_wait2, int listen) {
  return R"("ipv4":{"established":)" + std::to_string(established) +
         R"(,"syn_sent":0,"syn_recv":0,"fin_wait1":0,"fin_wait2":)" +
         std::to_string(fin_wait2) + R"(,"time_wait":)" +
         std::to_string(time_wait) + R"(,"close":0,"close_wait":)" +
         std::to_string(close_wait) + R"(,"last_ack":0,"listen":)" +
         std::to_string(listen) + R"(,"closing":0})";
}

class NamespacesTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::EnterPrivateNetns(); }
};

TEST_F(NamespacesTest, EachNamespaceIsCountedSeparatelyAndExactly) {
  NamedNetns a(TestName("a"));
  NamedNetns b(TestName("b"));
  testing::SocketScenario scenario;
  {
    const InsideNetns inside(a.path());
    const auto port = scenario.Listen(IpFamily::kV4, 0, 64);
    scenario.Established(IpFamily::kV4, port, 3);
    scenario.TimeWait(IpFamily::kV4, port, 2);
  }
  {
    const InsideNetns inside(b.path());
    const auto port = scenario.Listen(IpFamily::kV4, 0, 64);
    scenario.CloseWait(IpFamily::kV4, port, 7);
    scenario.Listen(IpFamily::kV4, 0, 8);
  }
  // And in this test's own (unnamed) namespace, one listener.
  scenario.Listen(IpFamily::kV4, 0, 8);

  const auto json =
      RunCommand(kTcpstated + " report --collect.netns all --format json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::string in_a = NamespaceObject(json.out, a.name());
  const std::string in_b = NamespaceObject(json.out, b.name());
  ASSERT_FALSE(in_a.empty()) << json.out;
  ASSERT_FALSE(in_b.empty()) << json.out;
  EXPECT_NE(in_a.find(IPv4Sockets(6, 2, 0, 0, 1)), std::string::npos) << in_a;
  EXPECT_NE(in_b.find(IPv4Sockets(0, 0, 7, 7, 2)), std::string::npos) << in_b;
  // Other tests' namespaces may vanish between listing and entering (the
  // suite runs in parallel): only "denied" is this test's to know (root).
  EXPECT_NE(json.out.find(R"("denied":0})"), std::string::npos) << json.out;

  // This namespace is listed once, by inode, through this process.
  const auto own = RunCommand("stat -L -c %i /proc/self/ns/net");
  const std::string own_inode = own.out.substr(0, own.out.find('\n'));
  const std::string in_own = NamespaceObject(json.out, own_inode);
  EXPECT_NE(in_own.find(IPv4Sockets(0, 0, 0, 0, 1)), std::string::npos)
      << json.out;
  EXPECT_EQ(json.out.find(R"("netns":")" + own_inode + "\"",
                          json.out.find(R"("netns":")" + own_inode) + 1),
            std::string::npos);

  // Nothing here is a finding: the text folds every namespace into one
  // line that names them (the JSON above has each one in full).
  const auto text = RunCommand(kTcpstated + " report --collect.netns all");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const auto quiet = text.out.find("network namespaces without findings");
  ASSERT_NE(quiet, std::string::npos) << text.out;
  // The line names the first ten, alphabetically: b among them unless the
  // host has other namespaces before it, which the line then elides.
  const std::string line =
      text.out.substr(quiet, text.out.find('\n', quiet) - quiet);
  EXPECT_TRUE(line.find(b.name()) != std::string::npos ||
              line.find(", ...;") != std::string::npos)
      << line;
  EXPECT_EQ(text.out.find("=== Network namespace " + b.name()),
            std::string::npos)
      << text.out;
}

TEST_F(NamespacesTest, ANamespaceDeletedAfterListingIsSkippedNotAnError) {
  NamedNetns gone(TestName("gone"));
  NamedNetns reused(TestName("reused"));
  NamedNetns deleted_inside(TestName("inside"));
  testing::SocketScenario scenario;
  {
    const InsideNetns inside(deleted_inside.path());
    const auto port = scenario.Listen(IpFamily::kV4, 0, 64);
    scenario.Established(IpFamily::kV4, port, 4);
  }
  std::vector<NetworkNamespace> listed;
  for (NamedNetns* ns : {&gone, &reused, &deleted_inside}) {
    const auto found = Listed(ns->name());
    ASSERT_TRUE(found) << ns->name();
    listed.push_back(*found);
  }

  gone.Delete();
  // Deleted and made again under the same name: another namespace, which
  // the next listing will find; the listed one is gone.
  reused.Delete();
  NamedNetns again(reused.name());

  const InsideNetns home("/proc/self/ns/net");  // comes back at the end
  std::vector<std::string> visited;
  std::array<StateCounts, kFamilyCount> counted{};
  const NamespaceSkips skips =
      VisitNetworkNamespaces(listed, [&](const NetworkNamespace& netns) {
        visited.push_back(netns.name);
        // Deleted while being visited: this thread still holds it, and its
        // sockets are still there to count.
        deleted_inside.Delete();
        counted = testing::CountWithSs();
      });
  EXPECT_EQ(skips.vanished, 2u);
  EXPECT_EQ(skips.denied, 0u);
  EXPECT_EQ(visited, std::vector<std::string>{deleted_inside.name()});
  const StateCounts& ipv4 = counted[static_cast<std::size_t>(Family::kIpv4)];
  EXPECT_EQ(ipv4[Index(TcpState::kEstablished)], 8u);
  EXPECT_EQ(ipv4[Index(TcpState::kListen)], 1u);
}

TEST_F(NamespacesTest, AProcessNamespaceWhoseProcessExitedIsSkipped) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::unshare(CLONE_NEWNET);
    ::pause();
    ::_exit(0);
  }
  const std::string path = "/proc/" + std::to_string(child) + "/ns/net";
  std::optional<NetworkNamespace> listed;
  // The child's unshare() is not instantaneous: look until it shows.
  for (int i = 0; i < 200 && !listed; ++i) {
    for (NetworkNamespace& ns : ListNetworkNamespaces()) {
      if (ns.path == path) listed = ns;
    }
    if (!listed) ::usleep(10'000);
  }
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ASSERT_TRUE(listed) << "the child's namespace was never listed";
  EXPECT_TRUE(listed->name.empty());
  EXPECT_EQ(listed->Label(), std::to_string(listed->inode));
  EXPECT_EQ(EnterNetworkNamespace(*listed), NetnsEntry::kVanished);
}

}  // namespace
}  // namespace tcpstated
