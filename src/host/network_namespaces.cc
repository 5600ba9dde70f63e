#include "tcpstated/host/network_namespaces.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <unordered_map>

#include "proc_files.h"
#include "tcpstated/host/cgroup_owners.h"
#include "tcpstated/host/untrusted_name.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

std::optional<std::uint64_t> NamespaceInode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_ino;
}

// The inode of a namespace file; nullopt for anything not on nsfs.
std::optional<std::uint64_t> NsfsInode(const std::string& path) {
  struct statfs fs {};
  if (::statfs(path.c_str(), &fs) != 0 || fs.f_type != NSFS_MAGIC) {
    return std::nullopt;
  }
  return NamespaceInode(path);
}

// The owner of a process, from the cgroup v2 line of /proc/PID/cgroup
// ("0::/system.slice/docker-4f2a….scope").
OwnerName OwnerOfProcess(const std::string& proc_dir, ContainerNames* names) {
  std::ifstream cgroups(proc_dir + "/cgroup");
  std::string line;
  while (std::getline(cgroups, line)) {
    // A cgroup path is named by whoever made the cgroup.
    if (line.starts_with("0::")) {
      std::string path = SanitizeName(line.substr(3), 1024);
      if (names != nullptr) return names->Name(path);
      return {std::move(path), {}};
    }
  }
  return {};
}

}  // namespace

std::optional<std::uint64_t> CurrentNetnsInode() {
  return NamespaceInode("/proc/thread-self/ns/net");
}

std::vector<NetworkNamespace> ListNetworkNamespaces(
    const std::string& run_netns, const std::string& proc_root,
    ContainerNames* names) {
  std::vector<NetworkNamespace> found;
  std::unordered_map<std::uint64_t, std::size_t> by_inode;

  if (const Dir named{::opendir(run_netns.c_str())}) {
    std::vector<NetworkNamespace> sorted;
    while (const dirent* entry = ::readdir(named.get())) {
      if (entry->d_name[0] == '.') continue;
      const std::string path = run_netns + "/" + entry->d_name;
      // A name whose namespace is not mounted (ip netns del racing) has the
      // inode of its empty placeholder file: nsfs inodes only are wanted.
      const auto inode = NsfsInode(path);
      if (!inode) continue;
      sorted.push_back({*inode, SanitizeName(entry->d_name, 128), path, {}});
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    for (auto& ns : sorted) {
      if (by_inode.emplace(ns.inode, found.size()).second) {
        found.push_back(std::move(ns));
      }
    }
  }

  const auto host = NamespaceInode(proc_root + "/1/ns/net");
  const std::size_t named_count = found.size();
  if (const Dir proc{::opendir(proc_root.c_str())}) {
    while (const dirent* entry = ::readdir(proc.get())) {
      if (!PidOfProcEntry(entry->d_name)) continue;
      const std::string dir = proc_root + "/" + entry->d_name;
      const auto inode = NamespaceInode(dir + "/ns/net");
      if (!inode) continue;  // exited, or not ours to inspect
      const auto [it, added] = by_inode.emplace(*inode, found.size());
      if (added) {
        found.push_back({*inode, "", dir + "/ns/net", {}});
      }
      NetworkNamespace& ns = found[it->second];
      if (ns.owner.display.empty()) {
        ns.owner =
            inode == host ? OwnerName{"host", {}} : OwnerOfProcess(dir, names);
      }
    }
  }
  std::sort(found.begin() + static_cast<std::ptrdiff_t>(named_count),
            found.end(),
            [](const auto& a, const auto& b) { return a.inode < b.inode; });
  return found;
}

namespace {

[[noreturn]] void NamespaceError(const std::string& what) {
  throw CollectError(CollectErrorReason::kNamespace, what);
}

// "/run/netns/NAME" for a name (as `ip netns` makes them), else the path.
std::string NetnsPath(const std::string& name_or_path) {
  if (name_or_path.find('/') != std::string::npos) return name_or_path;
  if (name_or_path.empty() || name_or_path == "." || name_or_path == "..") {
    NamespaceError("\"" + name_or_path +
                   "\" is neither a namespace name nor a path");
  }
  return "/run/netns/" + name_or_path;
}

// Opens a network namespace file. Non-blocking, so that a FIFO named by
// mistake fails instead of hanging; the descriptor must be an nsfs file of
// a network namespace.
UniqueFd OpenNetworkNamespace(const std::string& name_or_path) {
  const std::string path = NetnsPath(name_or_path);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    NamespaceError("cannot open network namespace " + path + ": " +
                   std::strerror(errno));
  }
  struct statfs fs {};
  if (::fstatfs(fd.get(), &fs) != 0 || fs.f_type != NSFS_MAGIC ||
      ::ioctl(fd.get(), NS_GET_NSTYPE) != CLONE_NEWNET) {
    NamespaceError(path + " is not a network namespace");
  }
  return fd;
}

}  // namespace

void CheckNetworkNamespace(const std::string& name_or_path) {
  OpenNetworkNamespace(name_or_path);
}

void EnterNetns(const std::string& name_or_path) {
  const UniqueFd fd = OpenNetworkNamespace(name_or_path);
  if (::setns(fd.get(), CLONE_NEWNET) != 0) {
    NamespaceError("cannot enter network namespace " + NetnsPath(name_or_path) +
                   ": " + std::strerror(errno));
  }
}

NetnsEntry EnterNetworkNamespace(const NetworkNamespace& netns) {
  if (NamespaceInode("/proc/thread-self/ns/net") == netns.inode) {
    return NetnsEntry::kEntered;
  }
  const UniqueFd fd(
      ::open(netns.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ESRCH) return NetnsEntry::kVanished;
    if (errno == EACCES || errno == EPERM) return NetnsEntry::kDenied;
    throw CollectError(CollectErrorReason::kNamespace,
                       "cannot open network namespace " + netns.path + ": " +
                           std::strerror(errno));
  }
  // The path may now name another namespace (a recycled pid, a name
  // reused): only the one that was listed is wanted.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || st.st_ino != netns.inode) {
    return NetnsEntry::kVanished;
  }
  if (::setns(fd.get(), CLONE_NEWNET) != 0) {
    if (errno == EPERM) return NetnsEntry::kDenied;
    // The listed namespace, still open, that cannot be entered: it is
    // being torn down (`ip netns del` under way; seen on Linux 6.18 when
    // namespaces come and go every few milliseconds).
    if (errno == EINVAL) return NetnsEntry::kVanished;
    throw CollectError(CollectErrorReason::kNamespace,
                       "cannot enter network namespace " + netns.path + ": " +
                           std::strerror(errno));
  }
  return NetnsEntry::kEntered;
}

NamespaceSkips VisitNetworkNamespaces(
    const std::vector<NetworkNamespace>& namespaces,
    const std::function<void(const NetworkNamespace&)>& visit,
    const std::stop_token& stop) {
  NamespaceSkips skips;
  for (const NetworkNamespace& netns : namespaces) {
    if (stop.stop_requested()) break;
    switch (EnterNetworkNamespace(netns)) {
      case NetnsEntry::kVanished:
        ++skips.vanished;
        break;
      case NetnsEntry::kDenied:
        ++skips.denied;
        break;
      case NetnsEntry::kEntered:
        visit(netns);
        break;
    }
  }
  return skips;
}

}  // namespace tcpstated
