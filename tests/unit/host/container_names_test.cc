#include "tcpstated/host/container_names.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include "fake_runtime_state.h"
#include "host/runtime_files.h"

namespace tcpstated {
namespace {

const std::string kId(64, 'a');
const std::string kPodSlice =
    "/kubepods.slice/kubepods-burstable.slice/"
    "kubepods-burstable-pod6b1d2e3f_4a5b_6c7d_8e9f_0a1b2c3d4e5f.slice/";

TEST(ContainerNamesTest, ContainerdBundleNamesThePodsContainer) {
  testing::FakeRuntimeState state;
  state.Containerd(kId, "checkout", "payments-7d9f", "api");
  ContainerNames names(state.Dirs());
  const OwnerName owner =
      names.Name(kPodSlice + "cri-containerd-" + kId + ".scope");
  EXPECT_EQ(owner.display, "k8s:checkout/payments-7d9f/api");
  EXPECT_EQ(owner.container.runtime, "containerd");
  EXPECT_EQ(owner.container.id, kId);
  EXPECT_EQ(owner.container.pod_uid, "6b1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f");
  EXPECT_EQ(owner.container.pod_namespace, "checkout");
  EXPECT_EQ(owner.container.pod, "payments-7d9f");
  EXPECT_EQ(owner.container.container, "api");
  EXPECT_EQ(owner.container.image, "registry.example/app:1.2");
}

TEST(ContainerNamesTest, ThePodsSandboxIsThePod) {
  testing::FakeRuntimeState state;
  state.Containerd(kId, "checkout", "payments-7d9f", "", "sandbox");
  ContainerNames names(state.Dirs());
  EXPECT_EQ(names.Name(kPodSlice + "cri-containerd-" + kId + ".scope").display,
            "k8s:checkout/payments-7d9f");
}

TEST(ContainerNamesTest, CrioAndCgroupfsPodsAndDocker) {
  testing::FakeRuntimeState state;
  const std::string crio(64, 'c'), cri(64, 'e'), docker(64, 'd');
  state.Crio(crio, "shop", "cart-5c4b", "redis");
  state.Crio(cri, "shop", "cart-5c4b", "sidecar");
  state.Docker(docker, "web", "nginx:1.25");
  ContainerNames names(state.Dirs());
  EXPECT_EQ(names.Name(kPodSlice + "crio-" + crio + ".scope").display,
            "k8s:shop/cart-5c4b/redis");
  // The cgroupfs driver does not say which runtime: each is tried.
  const OwnerName cgroupfs =
      names.Name("/kubepods/burstable/pod6b1d2e3f-4a5b/" + cri);
  EXPECT_EQ(cgroupfs.display, "k8s:shop/cart-5c4b/sidecar");
  EXPECT_EQ(cgroupfs.container.runtime, "cri-o");
  const OwnerName web = names.Name("/system.slice/docker-" + docker + ".scope");
  EXPECT_EQ(web.display, "docker:web");
  EXPECT_EQ(web.container.image, "nginx:1.25");
}

TEST(ContainerNamesTest, PodmansStoreNamesTheContainerAndItsMonitor) {
  testing::FakeRuntimeState state;
  state.Podman(kId, "web", "docker.io/library/nginx:1.25");
  ContainerNames names(state.Dirs());
  const OwnerName web = names.Name("/machine.slice/libpod-" + kId + ".scope");
  EXPECT_EQ(web.display, "podman:web");
  EXPECT_EQ(web.container.runtime, "podman");
  EXPECT_EQ(web.container.id, kId);
  EXPECT_EQ(web.container.container, "web");
  EXPECT_EQ(web.container.image, "docker.io/library/nginx:1.25");
  EXPECT_EQ(names.Name("/libpod_parent/libpod-" + kId).display, "podman:web");
  EXPECT_EQ(
      names.Name("/machine.slice/libpod-conmon-" + kId + ".scope").display,
      "podman:web/conmon");
  // Not in the store (yet): the path's name.
  const std::string other(64, 'f');
  EXPECT_EQ(names.Name("/libpod_parent/libpod-" + other).display,
            "podman:ffffffffffff");
}

TEST(ContainerNamesTest, WithoutStateFilesThePathNames) {
  ContainerNames names(RuntimeStateDirs::None());
  EXPECT_EQ(names.Name("/system.slice/docker-" + kId + ".scope").display,
            "docker:aaaaaaaaaaaa");
  EXPECT_EQ(names.Name("/system.slice/nginx.service").display, "nginx.service");
  EXPECT_EQ(names.files_read(), 0u);
}

TEST(ContainerNamesTest, FoundNamesAreCachedUnknownIdsRetriedLater) {
  testing::FakeRuntimeState state;
  const std::string path = kPodSlice + "cri-containerd-" + kId + ".scope";
  ContainerNames names(state.Dirs(), std::chrono::seconds(30));
  const auto t0 = ContainerNames::Clock::now();
  EXPECT_EQ(names.Name(path, t0).display, "containerd:aaaaaaaaaaaa");
  // The bundle appears (the runtime wrote it after the process started):
  // not looked for again until the retry time has passed.
  state.Containerd(kId, "checkout", "payments-7d9f", "api");
  EXPECT_EQ(names.Name(path, t0 + std::chrono::seconds(5)).display,
            "containerd:aaaaaaaaaaaa");
  EXPECT_EQ(names.Name(path, t0 + std::chrono::seconds(31)).display,
            "k8s:checkout/payments-7d9f/api");
  const auto read = names.files_read();
  // Found: never read again, even once the file is gone.
  std::filesystem::remove_all(state.root() / "containerd");
  EXPECT_EQ(names.Name(path, t0 + std::chrono::hours(1)).display,
            "k8s:checkout/payments-7d9f/api");
  EXPECT_EQ(names.files_read(), read);
}

TEST(ContainerNamesTest, HostileStateFilesNameNothingAndCrashNothing) {
  testing::FakeRuntimeState state;
  const auto bundle = state.root() / "containerd/k8s.io" / kId / "config.json";
  const std::string path = kPodSlice + "cri-containerd-" + kId + ".scope";
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  for (const std::string& text :
       {std::string("{\"annotations\":"), std::string("not json"), deep,
        std::string(
            R"({"annotations":{"io.kubernetes.cri.sandbox-name":7}})")}) {
    state.Write(bundle, text);
    ContainerNames names(state.Dirs());
    EXPECT_EQ(names.Name(path).display, "containerd:aaaaaaaaaaaa");
  }
  // Control characters (escaped in JSON) in a name are replaced; invalid
  // UTF-8 is not JSON: the file names nothing.
  const std::string names_json =
      "{\"annotations\":{\"io.kubernetes.cri.sandbox-name\":\"p\\u001b[2J\","
      "\"io.kubernetes.cri.sandbox-namespace\":\"ns\","
      "\"io.kubernetes.cri.container-name\":\"c\\u0085\"}}";
  state.Write(bundle, names_json);
  EXPECT_EQ(ContainerNames(state.Dirs()).Name(path).display,
            "k8s:ns/p\xEF\xBF\xBD[2J/c\xEF\xBF\xBD");
  state.Write(bundle, names_json.substr(0, names_json.size() - 4) + "\xff\"}}");
  EXPECT_EQ(ContainerNames(state.Dirs()).Name(path).display,
            "containerd:aaaaaaaaaaaa");
  // A directory where the file should be, a missing directory: skipped.
  std::filesystem::remove(bundle);
  std::filesystem::create_directories(bundle);
  EXPECT_EQ(ContainerNames(state.Dirs()).Name(path).display,
            "containerd:aaaaaaaaaaaa");
}

TEST(RuntimeFilesTest, KeepsOnlyTheNamingMembers) {
  testing::FakeRuntimeState state;
  state.Docker(kId, "web", "nginx:1.25");
  const auto values =
      ReadRuntimeNames((state.root() / "docker" / kId / "config.v2.json"));
  EXPECT_EQ(values.at("Name"), "/web");
  EXPECT_EQ(values.at("Config/Image"), "nginx:1.25");
  EXPECT_EQ(values.at("Config/Labels/maintainer"), "x");
  EXPECT_EQ(values.count("ID"), 0u);
  EXPECT_EQ(values.size(), 3u);
}

TEST(RuntimeFilesTest, FindsOneStoredContainerWhateverItsMembersOrder) {
  testing::FakeRuntimeState state;
  const auto file = state.root() / "containers.json";
  state.Write(file, R"([{"names":["x"],"id":"1"},{"metadata":"not json",)"
                    R"("names":["second","alias"],"id":")" +
                        kId + R"("},{"id":"3","names":["y"]}])");
  const auto found = ReadStoredContainer(file, kId);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "second");
  EXPECT_EQ(found->image, "");  // metadata that is not JSON names no image
  EXPECT_FALSE(ReadStoredContainer(file, std::string(64, 'b')).has_value());
  // Not JSON, nested beyond the limit, missing: nothing.
  for (const std::string& text :
       {std::string("[{\"id\":\"") + kId + "\"", std::string(100000, '['),
        std::string("{}")}) {
    state.Write(file, text);
    EXPECT_FALSE(ReadStoredContainer(file, kId).has_value()) << text.size();
  }
  EXPECT_FALSE(ReadStoredContainer(state.root() / "none", kId).has_value());
}

// Files the runtimes themselves wrote (tests/fixtures/README.md).
TEST(RuntimeFilesTest, NamesFromFilesRealRuntimesWrote) {
  const std::string dir = TCPSTATED_FIXTURES "/runtimes/";
  const auto docker = ReadRuntimeNames(dir + "docker-20.10-config.v2.json");
  EXPECT_EQ(docker.at("Name"), "/web");
  EXPECT_EQ(docker.at("Config/Image"), "img:1");
  // containerd's own bundle of a Docker container: a whole OCI spec with
  // no annotations names nothing; with one added, the spec (seccomp
  // profile and all) is read to the end within the limits.
  const std::string bundle = dir + "containerd-1.6-moby-config.json";
  EXPECT_TRUE(ReadRuntimeNames(bundle).empty());
  std::ifstream in(bundle);
  std::string spec((std::istreambuf_iterator<char>(in)), {});
  ASSERT_EQ(spec.front(), '{');
  spec.insert(1, R"("annotations":{"io.kubernetes.cri.sandbox-name":"p"},)");
  EXPECT_EQ(ParseRuntimeNames(spec),
            (std::map<std::string, std::string>{
                {"annotations/io.kubernetes.cri.sandbox-name", "p"}}));
  spec.push_back('x');  // and a spec that is not JSON names nothing
  EXPECT_TRUE(ParseRuntimeNames(spec).empty());
  const auto podman = ReadStoredContainer(
      dir + "podman-4.3-containers.json",
      "2aa9849c3b05b4fa1b9e5bcd3cdac8792cd9276ffaafe87f1f0f1f76c2f97850");
  ASSERT_TRUE(podman.has_value());
  EXPECT_EQ(podman->name, "pweb");
  EXPECT_EQ(podman->image, "localhost/img:1");
}

}  // namespace
}  // namespace tcpstated
