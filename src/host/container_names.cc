#include "tcpstated/host/container_names.h"

#include <dirent.h>
#include <sys/stat.h>

#include <map>

#include "cgroup_identity.h"
#include "runtime_files.h"
#include "tcpstated/host/untrusted_name.h"
#include "tcpstated/io/unique_fd.h"

namespace tcpstated {
namespace {

constexpr std::size_t kMaxCached = 4096;
constexpr std::size_t kMaxNameBytes = 253;  // a Kubernetes object name

using Values = std::map<std::string, std::string>;

std::string Value(const Values& values, const std::string& key) {
  const auto it = values.find(key);
  return it == values.end() ? "" : SanitizeName(it->second, kMaxNameBytes);
}

bool IsFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The Kubernetes names in a set of annotations or labels, under the keys
// one runtime writes: containerd's CRI plugin ("io.kubernetes.cri.*") or
// the kubelet's labels that CRI-O and cri-dockerd copy.
struct KubernetesKeys {
  std::string pod, pod_namespace, pod_uid, container, type, image;
  std::string_view sandbox_type;
};

void FillKubernetes(const Values& values, const KubernetesKeys& keys,
                    ContainerIdentity& c) {
  c.pod = Value(values, keys.pod);
  c.pod_namespace = Value(values, keys.pod_namespace);
  if (c.pod_uid.empty()) c.pod_uid = Value(values, keys.pod_uid);
  const bool sandbox = Value(values, keys.type) == keys.sandbox_type;
  c.container = sandbox ? "" : Value(values, keys.container);
  if (c.image.empty()) c.image = Value(values, keys.image);
}

const KubernetesKeys kContainerdKeys{
    "annotations/io.kubernetes.cri.sandbox-name",
    "annotations/io.kubernetes.cri.sandbox-namespace",
    "annotations/io.kubernetes.cri.sandbox-uid",
    "annotations/io.kubernetes.cri.container-name",
    "annotations/io.kubernetes.cri.container-type",
    "annotations/io.kubernetes.cri.image-name",
    "sandbox"};
const KubernetesKeys kCrioKeys{"annotations/io.kubernetes.pod.name",
                               "annotations/io.kubernetes.pod.namespace",
                               "annotations/io.kubernetes.pod.uid",
                               "annotations/io.kubernetes.container.name",
                               "annotations/io.kubernetes.cri-o.ContainerType",
                               "annotations/io.kubernetes.cri-o.ImageName",
                               "sandbox"};
const KubernetesKeys kDockerKeys{"Config/Labels/io.kubernetes.pod.name",
                                 "Config/Labels/io.kubernetes.pod.namespace",
                                 "Config/Labels/io.kubernetes.pod.uid",
                                 "Config/Labels/io.kubernetes.container.name",
                                 "Config/Labels/io.kubernetes.docker.type",
                                 "",
                                 "podsandbox"};

// containerd keeps one directory per containerd namespace ("k8s.io",
// "moby", "default") under its task state.
std::optional<std::string> ContainerdBundle(const std::string& dir,
                                            const std::string& id) {
  const Dir namespaces(::opendir(dir.c_str()));
  if (!namespaces) return std::nullopt;
  while (const dirent* entry = ::readdir(namespaces.get())) {
    if (entry->d_name[0] == '.') continue;
    std::string file = dir + "/" + entry->d_name + "/" + id + "/config.json";
    if (IsFile(file)) return file;
  }
  return std::nullopt;
}

std::string DisplayName(const ContainerIdentity& c, const PathIdentity& path,
                        std::string_view cgroup_path) {
  std::string name;
  if (!c.pod.empty() && !c.pod_namespace.empty()) {
    name = "k8s:" + c.pod_namespace + "/" + c.pod;
    if (!c.container.empty()) name += "/" + c.container;
  } else if ((c.runtime == "docker" || c.runtime == "podman") &&
             !c.container.empty()) {
    name = c.runtime + ":" + c.container;
  } else {
    return DisplayNameFromPath(path, cgroup_path);
  }
  if (path.conmon) name += "/conmon";
  return name;
}

}  // namespace

ContainerNames::ContainerNames(RuntimeStateDirs dirs,
                               std::chrono::seconds retry_unknown_after)
    : dirs_(std::move(dirs)), retry_unknown_after_(retry_unknown_after) {}

ContainerIdentity ContainerNames::Lookup(const ContainerIdentity& from_path) {
  const std::string& id = from_path.id;
  const std::string& runtime = from_path.runtime;
  // A cgroupfs-driver pod path does not say which runtime: try each.
  const bool any = runtime == "cri";
  ContainerIdentity found = from_path;
  auto read = [&](const std::string& file) {
    ++files_read_;
    return ReadRuntimeNames(file);
  };
  if (runtime == "containerd" || any) {
    for (const auto& dir : dirs_.containerd) {
      if (const auto file = ContainerdBundle(dir, id)) {
        found.runtime = "containerd";
        FillKubernetes(read(*file), kContainerdKeys, found);
        return found;
      }
    }
  }
  if (runtime == "cri-o" || any) {
    for (const auto& dir : dirs_.crio) {
      const std::string file = dir + "/" + id + "/userdata/config.json";
      if (!IsFile(file)) continue;
      found.runtime = "cri-o";
      FillKubernetes(read(file), kCrioKeys, found);
      return found;
    }
  }
  if (runtime == "docker" || any) {
    for (const auto& dir : dirs_.docker) {
      const std::string file = dir + "/" + id + "/config.v2.json";
      if (!IsFile(file)) continue;
      const Values values = read(file);
      found.runtime = "docker";
      found.image = Value(values, "Config/Image");
      FillKubernetes(values, kDockerKeys, found);
      if (found.pod.empty()) {
        std::string name = Value(values, "Name");
        if (name.starts_with('/')) name.erase(0, 1);  // "/web"
        found.container = name;
      }
      return found;
    }
  }
  if (runtime == "podman") {
    for (const auto& dir : dirs_.podman) {
      const std::string file = dir + "/containers.json";
      if (!IsFile(file)) continue;
      ++files_read_;
      if (const auto stored = ReadStoredContainer(file, id)) {
        found.container = SanitizeName(stored->name, kMaxNameBytes);
        found.image = SanitizeName(stored->image, kMaxNameBytes);
        return found;
      }
    }
  }
  found.runtime.clear();  // not found: the caller keeps the path's
  return found;
}

OwnerName ContainerNames::Name(std::string_view cgroup_path,
                               Clock::time_point now) {
  const PathIdentity path = ParseCgroupPath(cgroup_path);
  ContainerIdentity container = path.container;
  const bool has_files =
      container.runtime == "containerd" || container.runtime == "cri-o" ||
      container.runtime == "docker" || container.runtime == "podman" ||
      container.runtime == "cri";
  if (has_files) {
    auto it = cache_.find(container.id);
    const bool stale = it != cache_.end() && it->second.names.empty() &&
                       now - it->second.looked_up >= retry_unknown_after_;
    if (it == cache_.end() || stale) {
      if (it == cache_.end() && cache_.size() >= kMaxCached) cache_.clear();
      it = cache_.insert_or_assign(container.id, Entry{Lookup(container), now})
               .first;
    }
    if (!it->second.names.empty()) container = it->second.names;
  }
  return {DisplayName(container, path, cgroup_path), container};
}

}  // namespace tcpstated
