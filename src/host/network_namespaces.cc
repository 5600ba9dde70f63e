#include "tcpstated/host/network_namespaces.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
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

// The unit or cgroup of a process, from the cgroup v2 line of
// /proc/PID/cgroup ("0::/system.slice/docker-4f2a.scope").
std::string ContainerOf(const std::string& proc_dir) {
  std::ifstream cgroups(proc_dir + "/cgroup");
  std::string line;
  while (std::getline(cgroups, line)) {
    if (line.starts_with("0::")) return OwnerOfCgroupPath(line.substr(3));
  }
  return "";
}

}  // namespace

std::vector<NetworkNamespace> ListNetworkNamespaces(
    const std::string& run_netns, const std::string& proc_root) {
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
      sorted.push_back({*inode, entry->d_name, path, ""});
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
        found.push_back({*inode, "", dir + "/ns/net", ""});
      }
      NetworkNamespace& ns = found[it->second];
      if (ns.container.empty()) {
        ns.container = inode == host ? "host" : ContainerOf(dir);
      }
    }
  }
  std::sort(found.begin() + static_cast<std::ptrdiff_t>(named_count),
            found.end(),
            [](const auto& a, const auto& b) { return a.inode < b.inode; });
  return found;
}

void EnterNetns(const std::string& name_or_path) {
  const std::string path = name_or_path.find('/') == std::string::npos
                               ? "/run/netns/" + name_or_path
                               : name_or_path;
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw CollectError(
        CollectErrorReason::kNamespace,
        "cannot open network namespace " + path + ": " + std::strerror(errno));
  }
  if (::setns(fd.get(), CLONE_NEWNET) != 0) {
    throw CollectError(
        CollectErrorReason::kNamespace,
        "cannot enter network namespace " + path + ": " + std::strerror(errno));
  }
}

NetnsEntry EnterNetworkNamespace(const NetworkNamespace& netns) {
  if (NamespaceInode("/proc/thread-self/ns/net") == netns.inode) {
    return NetnsEntry::kEntered;
  }
  const UniqueFd fd(::open(netns.path.c_str(), O_RDONLY | O_CLOEXEC));
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
    throw CollectError(CollectErrorReason::kNamespace,
                       "cannot enter network namespace " + netns.path + ": " +
                           std::strerror(errno));
  }
  return NetnsEntry::kEntered;
}

NamespaceSkips VisitNetworkNamespaces(
    const std::vector<NetworkNamespace>& namespaces,
    const std::function<void(const NetworkNamespace&)>& visit) {
  NamespaceSkips skips;
  for (const NetworkNamespace& netns : namespaces) {
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
