// The cgroup v2 path layouts of systemd, container runtimes and Kubernetes,
// from real hosts' /proc/PID/cgroup (ids shortened where the layout does
// not depend on them being 64 digits).
#include "host/cgroup_identity.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

constexpr const char* kId =
    "3f2a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";

struct Sample {
  const char* layout;
  std::string path;
  const char* runtime;  // "" when no container
  std::string id;       // container id (or machine name)
  const char* pod_uid;  // Kubernetes pod UID
  const char* display;  // what is shown without runtime state files
};

const Sample kSamples[] = {
    {"systemd service", "/system.slice/nginx.service", "", "", "",
     "nginx.service"},
    {"service child cgroup", "/system.slice/nginx.service/workers", "", "", "",
     "nginx.service"},
    {"session scope", "/user.slice/user-1000.slice/session-4.scope", "", "", "",
     "session-4.scope"},
    {"user manager unit",
     "/user.slice/user-1000.slice/user@1000.service/app.slice/nginx.service",
     "", "", "", "user@1000/nginx.service"},
    {"user manager itself",
     "/user.slice/user-1000.slice/user@1000.service/init.scope", "", "", "",
     "user@1000/init.scope"},
    {"root cgroup", "/", "", "", "", "/"},
    {"bare slice", "/system.slice", "", "", "", "/system.slice"},
    {"docker, systemd driver",
     std::string("/system.slice/docker-") + kId + ".scope", "docker", kId, "",
     "docker:3f2a1b2c3d4e"},
    {"docker, cgroupfs driver", std::string("/docker/") + kId, "docker", kId,
     "", "docker:3f2a1b2c3d4e"},
    {"docker, too short to be an id", "/system.slice/docker-4f2a.scope", "", "",
     "", "docker-4f2a.scope"},
    {"containerd under kubernetes, burstable",
     std::string("/kubepods.slice/kubepods-burstable.slice/"
                 "kubepods-burstable-pod6b1d2e3f_4a5b_6c7d_8e9f_0a1b2c3d4e5f."
                 "slice/cri-containerd-") +
         kId + ".scope",
     "containerd", kId, "6b1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
     "containerd:3f2a1b2c3d4e"},
    {"containerd under kubernetes, guaranteed",
     std::string("/kubepods.slice/"
                 "kubepods-pod6b1d2e3f_4a5b_6c7d_8e9f_0a1b2c3d4e5f.slice/"
                 "cri-containerd-") +
         kId + ".scope",
     "containerd", kId, "6b1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
     "containerd:3f2a1b2c3d4e"},
    {"cri-o under kubernetes, besteffort",
     std::string("/kubepods.slice/kubepods-besteffort.slice/"
                 "kubepods-besteffort-pod0a1b2c3d_4e5f_6a7b_8c9d_0e1f2a3b4c5d."
                 "slice/crio-") +
         kId + ".scope",
     "cri-o", kId, "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
     "cri-o:3f2a1b2c3d4e"},
    {"cri-o's conmon",
     std::string("/kubepods.slice/kubepods-besteffort.slice/"
                 "kubepods-besteffort-pod0a1b2c3d_4e5f_6a7b_8c9d_0e1f2a3b4c5d."
                 "slice/crio-conmon-") +
         kId + ".scope",
     "cri-o", kId, "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
     "cri-o:3f2a1b2c3d4e/conmon"},
    {"kubernetes, cgroupfs driver",
     std::string(
         "/kubepods/burstable/pod6b1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f/") +
         kId,
     "cri", kId, "6b1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f", "cri:3f2a1b2c3d4e"},
    {"kubernetes in kind (nested under the node's cgroup)",
     std::string("/kubelet.slice/kubelet-kubepods.slice/"
                 "kubelet-kubepods-besteffort.slice/"
                 "kubelet-kubepods-besteffort-pod0a1b2c3d_4e5f_6a7b_8c9d_"
                 "0e1f2a3b4c5d.slice/cri-containerd-") +
         kId + ".scope",
     "containerd", kId, "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
     "containerd:3f2a1b2c3d4e"},
    {"podman, rootful", std::string("/machine.slice/libpod-") + kId + ".scope",
     "podman", kId, "", "podman:3f2a1b2c3d4e"},
    {"podman, rootless",
     std::string("/user.slice/user-1000.slice/user@1000.service/user.slice/"
                 "libpod-") +
         kId + ".scope",
     "podman", kId, "", "podman:3f2a1b2c3d4e"},
    {"podman's conmon",
     std::string("/machine.slice/libpod-conmon-") + kId + ".scope", "podman",
     kId, "", "podman:3f2a1b2c3d4e/conmon"},
    {"podman, cgroupfs", std::string("/libpod_parent/libpod-") + kId, "podman",
     kId, "", "podman:3f2a1b2c3d4e"},
    {"nspawn, registered machine",
     "/machine.slice/machine-web\\x2d1.scope/payload/system.slice/"
     "nginx.service",
     "nspawn", "web-1", "", "machine:web-1/nginx.service"},
    {"nspawn, template unit",
     "/machine.slice/systemd-nspawn@db.service/payload", "nspawn", "db", "",
     "machine:db"},
    {"lxc 4+", "/lxc.payload.web/system.slice/nginx.service", "lxc", "web", "",
     "lxc:web/nginx.service"},
    {"lxc, legacy", "/lxc/web", "lxc", "web", "", "lxc:web"},
    {"a container's own systemd is the container's",
     std::string("/system.slice/docker-") + kId + ".scope/init.scope", "docker",
     kId, "", "docker:3f2a1b2c3d4e"},
    {"an escaped control byte stays escaped",
     "/machine.slice/machine-a\\x1bb.scope", "nspawn", "a\\x1bb", "",
     "machine:a\\x1bb"},
};

TEST(CgroupIdentityTest, RecognisesEachLayout) {
  for (const Sample& sample : kSamples) {
    SCOPED_TRACE(sample.layout);
    const PathIdentity identity = ParseCgroupPath(sample.path);
    EXPECT_EQ(identity.container.runtime, sample.runtime);
    EXPECT_EQ(identity.container.id, sample.id);
    EXPECT_EQ(identity.container.pod_uid, sample.pod_uid);
    EXPECT_EQ(DisplayNameFromPath(identity, sample.path), sample.display);
  }
}

TEST(CgroupIdentityTest, LookalikesAreNotContainers) {
  // Upper-case or non-hex "ids", a pod slice with a non-UID tail, a unit
  // literally named ".service".
  for (const char* path :
       {"/system.slice/docker-NOTANIDNOTANIDNOT.scope",
        "/system.slice/cri-containerd-xyz.scope", "/docker/hello-world",
        "/kubepods.slice/kubepods-podnot_a_uid!.slice", "/.service"}) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(ParseCgroupPath(path).container.empty());
  }
  EXPECT_EQ(ParseCgroupPath("/.service").unit, "");
}

}  // namespace
}  // namespace tcpstated
