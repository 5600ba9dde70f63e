// The daemon names a leak inside a Kubernetes pod's container, from a
// cgroup shaped like the kubelet's and a containerd bundle made by the
// test: in tcpstate_unit_sockets, tcpstate_owner_info and the log line.
#include <unistd.h>

#include "daemon_fixture.h"
#include "fake_runtime_state.h"
#include "socket_scenario.h"
#include "test_cgroup.h"

namespace tcpstated::testing {
namespace {

class ContainerOwnerTest : public DaemonTest {};

TEST_F(ContainerOwnerTest, DaemonNamesThePodOfACloseWaitLeak) {
  if (TestCgroup::Mount().empty()) {
    GTEST_SKIP() << "no writable cgroup v2 hierarchy";
  }
  const std::string id(64, 'c');
  const TestCgroup pod("tcpstated-e2e-" + std::to_string(::getpid()) +
                       ".slice/kubepods.slice/kubepods-pod0a1b2c3d_4e5f_6a7b_"
                       "8c9d_0e1f2a3b4c5d.slice/cri-containerd-" +
                       id + ".scope");
  FakeRuntimeState state("e2e");
  state.Containerd(id, "shop", "cart-5c4b", "redis");
  SocketScenario scenario;
  pod.Enter();
  const auto port = scenario.Listen(IpFamily::kV4, 0, 64);
  scenario.CloseWait(IpFamily::kV4, port, 8);
  pod.Leave();

  auto daemon =
      StartDaemon({"--collect.interval", "200ms", "--pileup.min-sockets", "5",
                   "--findings.for", "0s", "--containers.containerd-state",
                   state.Dirs().containerd[0]});
  const std::string unit = "k8s:shop/cart-5c4b/redis";
  const std::string sockets =
      "tcpstate_unit_sockets{unit=\"" + unit + "\",state=\"close_wait\"}";
  EXPECT_TRUE(WaitFor([&] { return SampleValue(Scrape().body, sockets) == 8; },
                      std::chrono::seconds(5)))
      << Scrape().body;
  const std::string info =
      "tcpstate_owner_info{unit=\"" + unit +
      "\",runtime=\"containerd\",container_id=\"" + id +
      "\",k8s_namespace=\"shop\",k8s_pod=\"cart-5c4b\",k8s_container=\"redis\","
      "image=\"registry.example/app:1.2\"}";
  EXPECT_EQ(SampleValue(Scrape().body, info), 1) << Scrape().body;
  EXPECT_TRUE(WaitFor(
      [&] {
        return daemon->Stderr().find("; unit " + unit + " (8)") !=
               std::string::npos;
      },
      std::chrono::seconds(5)))
      << daemon->Stderr();
}

}  // namespace
}  // namespace tcpstated::testing
