#include "tcpstated/host/socket_holders.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

#include "proc_files.h"
#include "tcpstated/host/untrusted_name.h"

namespace tcpstated {
namespace {

// /proc/PID/comm is whatever the process set with prctl(PR_SET_NAME): up
// to 15 bytes of anything. Sanitized here, where it enters.
std::string CommandOf(const std::string& proc_root, int pid) {
  std::ifstream comm(proc_root + "/" + std::to_string(pid) + "/comm");
  std::string command;
  std::getline(comm, command);
  return command.empty() ? "?" : SanitizeName(command, 64);
}

}  // namespace

std::optional<std::uint32_t> SocketInodeOfLink(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!link.starts_with(kPrefix) || !link.ends_with(']')) return std::nullopt;
  const std::string_view digits =
      link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1);
  std::uint32_t inode = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), inode);
  if (digits.empty() || error != std::errc() ||
      end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return inode;
}

SocketHolders FindSocketHolders(const InodeGroups& inodes,
                                std::size_t group_count,
                                const std::string& proc_root,
                                const ProcessScanLimits& limits) {
  group_count = std::min(group_count, kMaxHolderGroups);
  SocketHolders result;
  result.groups.resize(group_count);
  if (inodes.empty() || group_count == 0) return result;

  const Dir proc(::opendir(proc_root.c_str()));
  if (!proc) {
    result.stats.complete = false;
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + limits.budget;
  std::vector<std::uint64_t> hits(group_count);
  char link[64];
  while (const dirent* entry = ::readdir(proc.get())) {
    const auto pid = PidOfProcEntry(entry->d_name);
    if (!pid) continue;
    if (result.stats.fds >= limits.max_fds ||
        std::chrono::steady_clock::now() >= deadline ||
        limits.stop.stop_requested()) {
      result.stats.complete = false;
      break;
    }
    ++result.stats.processes;
    const std::string fd_path = proc_root + "/" + entry->d_name + "/fd";
    const Dir fds(::opendir(fd_path.c_str()));
    if (!fds) {
      // ENOENT: the process exited since /proc was listed.
      if (errno == EACCES || errno == EPERM) ++result.stats.unreadable;
      continue;
    }
    std::fill(hits.begin(), hits.end(), 0);
    bool held = false;
    const int fds_fd = ::dirfd(fds.get());
    while (const dirent* fd = ::readdir(fds.get())) {
      if (fd->d_name[0] == '.') continue;
      ++result.stats.fds;
      const ssize_t n = ::readlinkat(fds_fd, fd->d_name, link, sizeof link);
      if (n <= 0 || static_cast<std::size_t>(n) >= sizeof link) continue;
      const auto inode = SocketInodeOfLink({link, static_cast<std::size_t>(n)});
      if (!inode) continue;
      const auto found = inodes.find(*inode);
      if (found == inodes.end()) continue;
      for (std::size_t g = 0; g < group_count; ++g) {
        if ((found->second >> g) & 1) {
          ++hits[g];
          held = true;
        }
      }
    }
    if (!held) continue;
    const std::string command = CommandOf(proc_root, *pid);
    for (std::size_t g = 0; g < group_count; ++g) {
      if (hits[g] > 0) result.groups[g].push_back({*pid, command, hits[g]});
    }
  }
  for (auto& group : result.groups) {
    std::sort(group.begin(), group.end(),
              [](const ProcessSockets& a, const ProcessSockets& b) {
                return a.sockets != b.sockets ? a.sockets > b.sockets
                                              : a.pid < b.pid;
              });
  }
  return result;
}

}  // namespace tcpstated
