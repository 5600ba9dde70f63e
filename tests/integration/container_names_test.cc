// A CLOSE_WAIT leak inside cgroups shaped like a Docker container's scope
// and a Kubernetes pod's container (made in the machine's writable cgroup
// v2 hierarchy), with the runtimes' state files made by the test: the
// report names the container and the pod, with their structured fields.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "fake_runtime_state.h"
#include "named_netns.h"
#include "socket_scenario.h"
#include "ss_counts.h"
#include "test_cgroup.h"

namespace tcpstated {
namespace {

using testing::RunCommand;

const std::string kTcpstated = TCPSTATED_BINARY;
const std::string kPodId(64, 'b');
const std::string kDockerId(64, 'd');
constexpr int kLeaked = 120;  // over the one-shot CLOSE_WAIT threshold

class ContainerNamesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::EnterPrivateNetns();
    if (testing::TestCgroup::Mount().empty()) {
      GTEST_SKIP() << "no writable cgroup v2 hierarchy: cannot make "
                      "container-shaped cgroups";
    }
    const std::string top =
        "tcpstated-test-" + std::to_string(::getpid()) + ".slice/";
    pod_ = std::make_unique<testing::TestCgroup>(
        top +
        "kubepods.slice/kubepods-burstable.slice/"
        "kubepods-burstable-pod6b1d2e3f_4a5b_6c7d_8e9f_0a1b2c3d4e5f."
        "slice/cri-containerd-" +
        kPodId + ".scope");
    docker_ = std::make_unique<testing::TestCgroup>(top + "docker-" +
                                                    kDockerId + ".scope");
    state_.Containerd(kPodId, "checkout", "payments-7d9f", "api");
    state_.Docker(kDockerId, "web", "nginx:1.25");
  }
  std::string Flags() const {
    const RuntimeStateDirs dirs = state_.Dirs();
    return " --containers.containerd-state " + dirs.containerd[0] +
           " --containers.docker-state " + dirs.docker[0] +
           " --containers.crio-state ''";
  }
  // A listener and its leak, made inside `cgroup`.
  std::uint16_t LeakIn(const testing::TestCgroup& cgroup) {
    cgroup.Enter();
    const auto port = scenario_.Listen(testing::IpFamily::kV4, 0, 256);
    scenario_.CloseWait(testing::IpFamily::kV4, port, kLeaked);
    cgroup.Leave();
    return port;
  }

  testing::FakeRuntimeState state_{"integration"};
  std::unique_ptr<testing::TestCgroup> pod_, docker_;
  testing::SocketScenario scenario_;
};

const std::string kPodFields =
    R"("container":{"runtime":"containerd","id":")" + kPodId +
    R"(","pod_uid":"6b1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",)"
    R"("pod_namespace":"checkout","pod":"payments-7d9f","name":"api",)"
    R"("image":"registry.example/app:1.2"})";

TEST_F(ContainerNamesTest, ReportNamesThePodsContainerAndTheDockerContainer) {
  LeakIn(*pod_);
  LeakIn(*docker_);
  const auto json = RunCommand(kTcpstated + " report --format json" + Flags());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find(R"({"unit":"k8s:checkout/payments-7d9f/api",)" +
                          kPodFields + R"(,"states":{)"),
            std::string::npos)
      << json.out;
  // The pileup's owner carries the same fields.
  EXPECT_NE(json.out.find(R"("units":[{"unit":"k8s:checkout/payments-7d9f/)"
                          R"(api",)" +
                          kPodFields + R"(,"sockets":120}])"),
            std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find(R"({"unit":"docker:web","container":{"runtime":)"
                          R"("docker","id":")" +
                          kDockerId +
                          R"(","name":"web","image":"nginx:1.25"},"states")"),
            std::string::npos)
      << json.out;

  const auto text = RunCommand(kTcpstated + " report" + Flags());
  EXPECT_NE(text.out.find("unit k8s:checkout/payments-7d9f/api (120)"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("unit docker:web (120)"), std::string::npos)
      << text.out;

  // Without the state files, the path alone still says which containers.
  const auto bare =
      RunCommand(kTcpstated +
                 " report --format json --containers.containerd-state '' "
                 "--containers.docker-state '' --containers.crio-state ''");
  EXPECT_NE(bare.out.find(R"({"unit":"containerd:bbbbbbbbbbbb")"),
            std::string::npos)
      << bare.out;
  EXPECT_NE(bare.out.find(R"({"unit":"docker:dddddddddddd")"),
            std::string::npos);
}

TEST_F(ContainerNamesTest, EveryNamespaceReportNamesThePodOfALeakInItsOwn) {
  const testing::NamedNetns netns("tcpstated-test-pod-" +
                                  std::to_string(::getpid()));
  {
    const testing::InsideNetns inside(netns.path());
    LeakIn(*pod_);
  }
  const auto json = RunCommand(
      kTcpstated + " report --collect.netns all --format json" + Flags());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto start = json.out.find(R"({"netns":")" + netns.name() + "\"");
  ASSERT_NE(start, std::string::npos) << json.out;
  const std::string object =
      json.out.substr(start, json.out.find(R"({"netns":")", start + 1) - start);
  EXPECT_NE(
      object.find(R"("units":[{"unit":"k8s:checkout/payments-7d9f/api",)" +
                  kPodFields + R"(,"sockets":120}])"),
      std::string::npos)
      << object;
}

TEST_F(ContainerNamesTest, ARelativeStateDirectoryIsAConfigError) {
  const auto run =
      RunCommand(kTcpstated + " report --containers.docker-state var/lib");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not an absolute path: var/lib"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace tcpstated
