#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tcpstated/model/owners.h"

namespace tcpstated {

// Where container runtimes keep their state on disk. Each list is searched
// in order; a missing or unreadable directory is skipped. Empty lists read
// nothing (names then come from cgroup paths alone).
struct RuntimeStateDirs {
  // containerd's runtime v2 task state: NAMESPACE/ID/config.json, the OCI
  // bundle, whose annotations the CRI plugin fills with the pod's names.
  std::vector<std::string> containerd{
      "/run/containerd/io.containerd.runtime.v2.task"};
  // CRI-O (containers/storage run root): ID/userdata/config.json.
  std::vector<std::string> crio{"/run/containers/storage/overlay-containers"};
  // Docker: ID/config.v2.json ("Name", "Config.Image", "Config.Labels").
  std::vector<std::string> docker{"/var/lib/docker/containers"};
  // Podman (containers/storage graph root, rootful): containers.json, the
  // store's list of containers with their names and image names.
  std::vector<std::string> podman{
      "/var/lib/containers/storage/overlay-containers"};

  static RuntimeStateDirs None() { return {{}, {}, {}, {}}; }
  bool operator==(const RuntimeStateDirs&) const = default;
};

// Names the owner of a cgroup path: the container it belongs to, as precise
// as the path and the runtime's state files allow. Container names never
// change for an id, so a found name is cached by id and never read again;
// an id whose files are not (yet) there is looked up again at most every
// `retry_unknown_after`. At most 4,096 ids are cached (the cache starts
// over when full). Nothing here calls a runtime API or opens a socket.
class ContainerNames {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ContainerNames(
      RuntimeStateDirs dirs = {},
      std::chrono::seconds retry_unknown_after = std::chrono::seconds(30));

  // `cgroup_path` is relative to the cgroup v2 root and already sanitized.
  // Display names: "k8s:NAMESPACE/POD/CONTAINER" ("k8s:NAMESPACE/POD" for
  // the pod's sandbox), "docker:NAME", "podman:NAME", else
  // "RUNTIME:SHORTID", "machine:NAME", "lxc:NAME", a systemd unit
  // ("user@UID/UNIT" for a user manager's), else the path.
  OwnerName Name(std::string_view cgroup_path, Clock::time_point now);
  OwnerName Name(std::string_view cgroup_path) {
    return Name(cgroup_path, Clock::now());
  }

  std::uint64_t files_read() const { return files_read_; }

 private:
  struct Entry {
    ContainerIdentity names;  // runtime "" until found
    Clock::time_point looked_up;
  };
  ContainerIdentity Lookup(const ContainerIdentity& from_path);

  RuntimeStateDirs dirs_;
  std::chrono::seconds retry_unknown_after_;
  std::unordered_map<std::string, Entry> cache_;
  std::uint64_t files_read_ = 0;
};

}  // namespace tcpstated
