#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tcpstated/host/container_names.h"

namespace tcpstated::testing {

// containerd, CRI-O, Docker and Podman state trees under a temporary root,
// with the files (and only the members of them) the runtimes write that
// name a container: an OCI bundle's annotations, Docker's config.v2.json,
// containers/storage's containers.json.
class FakeRuntimeState {
 public:
  explicit FakeRuntimeState(const std::string& tag = "state")
      : root_(std::filesystem::temp_directory_path() /
              ("tcpstated-runtime-" + tag + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~FakeRuntimeState() { std::filesystem::remove_all(root_); }
  FakeRuntimeState(const FakeRuntimeState&) = delete;
  FakeRuntimeState& operator=(const FakeRuntimeState&) = delete;

  RuntimeStateDirs Dirs() const {
    return {{(root_ / "containerd").string()},
            {(root_ / "crio").string()},
            {(root_ / "docker").string()},
            {(root_ / "podman").string()}};
  }

  // The CRI plugin's annotations of a pod's container ("container") or
  // its sandbox ("sandbox"), in containerd namespace k8s.io.
  void Containerd(const std::string& id, const std::string& pod_namespace,
                  const std::string& pod, const std::string& container,
                  const std::string& type = "container") {
    Write(
        root_ / "containerd" / "k8s.io" / id / "config.json",
        R"({"ociVersion":"1.1.0","process":{"args":["/app"]},)"
        R"("annotations":{"io.kubernetes.cri.container-type":")" +
            type + R"(","io.kubernetes.cri.sandbox-name":")" + pod +
            R"(","io.kubernetes.cri.sandbox-namespace":")" + pod_namespace +
            R"(","io.kubernetes.cri.container-name":")" + container +
            R"(","io.kubernetes.cri.image-name":"registry.example/app:1.2"}})");
  }
  void Crio(const std::string& id, const std::string& pod_namespace,
            const std::string& pod, const std::string& container) {
    Write(root_ / "crio" / id / "userdata" / "config.json",
          R"({"ociVersion":"1.0.2","annotations":{)"
          R"("io.kubernetes.cri-o.ContainerType":"container",)"
          R"("io.kubernetes.pod.name":")" +
              pod + R"(","io.kubernetes.pod.namespace":")" + pod_namespace +
              R"(","io.kubernetes.container.name":")" + container +
              R"(","io.kubernetes.cri-o.ImageName":"quay.io/app:2"}})");
  }
  void Docker(const std::string& id, const std::string& name,
              const std::string& image) {
    Write(root_ / "docker" / id / "config.v2.json",
          R"({"ID":")" + id + R"(","Name":"/)" + name +
              R"(","Config":{"Image":")" + image +
              R"(","Labels":{"maintainer":"x"},"Env":["A=1"]},"State":{}})");
  }
  // Podman's store: containers.json with this container between two
  // others, each entry shaped like the ones Podman 4.3 writes.
  void Podman(const std::string& id, const std::string& name,
              const std::string& image) {
    const auto entry = [](const std::string& entry_id,
                          const std::string& entry_name,
                          const std::string& entry_image) {
      return R"({"id":")" + entry_id + R"(","names":[")" + entry_name +
             R"("],"image":"9f6c","layer":"60ad","metadata":"{\"image-name\":\")" +
             entry_image + R"(\",\"image-id\":\"9f6c\",\"name\":\")" +
             entry_name + R"(\",\"created-at\":1796192769}","flags":{}})";
    };
    Write(root_ / "podman" / "containers.json",
          "[" + entry(std::string(64, '1'), "before", "busybox") + "," +
              entry(id, name, image) + "," +
              entry(std::string(64, '2'), "after", "alpine") + "]");
  }
  // Anything, at a path under the root.
  void Write(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
  }
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace tcpstated::testing
