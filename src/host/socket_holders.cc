#include "tcpstated/host/socket_holders.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <unordered_set>

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

// The state letter of /proc/PID/stat; '?' when it cannot be read.
char StateOf(const std::string& proc_root, int pid) {
  std::ifstream stat(proc_root + "/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  return ProcessStateOfStat(line);
}

}  // namespace

char ProcessStateOfStat(std::string_view stat) {
  // "4242 (name) S 1 ...": the name may hold anything, ')' and spaces
  // included, so the state follows the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos || close + 2 >= stat.size() ||
      stat[close + 1] != ' ') {
    return '?';
  }
  const char state = stat[close + 2];
  return (state >= 'A' && state <= 'Z') || (state >= 'a' && state <= 'z')
             ? state
             : '?';
}

std::optional<std::uint32_t> SocketInodeOfLink(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!link.starts_with(kPrefix) || !link.ends_with(']')) return std::nullopt;
  return ParseDecimal<std::uint32_t>(
      link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1));
}

namespace {

// Whether /proc/PID's cgroup is in `scope` (unreadable: walk it anyway,
// rather than miss a holder).
bool InScope(const std::string& proc_dir, const CgroupScope& scope) {
  std::ifstream cgroups(proc_dir + "/cgroup");
  std::string line;
  while (std::getline(cgroups, line)) {
    if (!line.starts_with("0::")) continue;
    struct stat st {};
    if (::stat((scope.mount + line.substr(3)).c_str(), &st) != 0) return true;
    return scope.ids.contains(st.st_ino);
  }
  return true;
}

// Counts, per group, the descriptors of one process that are the sockets
// looked for, and notes each socket found. False when its fd table cannot
// be read.
bool CountHeld(const std::string& fd_path, const InodeGroups& inodes,
               std::vector<std::uint64_t>& hits,
               std::unordered_set<std::uint32_t>& found,
               ProcessScanStats& stats) {
  const Dir fds(::opendir(fd_path.c_str()));
  if (!fds) {
    // ENOENT: the process exited since /proc was listed.
    if (errno == EACCES || errno == EPERM) ++stats.unreadable;
    return false;
  }
  std::fill(hits.begin(), hits.end(), 0);
  char link[64];
  const int fds_fd = ::dirfd(fds.get());
  while (const dirent* fd = ::readdir(fds.get())) {
    if (fd->d_name[0] == '.') continue;
    ++stats.fds;
    const ssize_t n = ::readlinkat(fds_fd, fd->d_name, link, sizeof link);
    if (n <= 0 || static_cast<std::size_t>(n) >= sizeof link) continue;
    const auto inode = SocketInodeOfLink({link, static_cast<std::size_t>(n)});
    if (!inode) continue;
    const auto group_bits = inodes.find(*inode);
    if (group_bits == inodes.end()) continue;
    found.insert(*inode);
    for (std::size_t g = 0; g < hits.size(); ++g) {
      if ((group_bits->second >> g) & 1) ++hits[g];
    }
  }
  return true;
}

// One walk over processes, shared by both passes of FindSocketHolders.
class HolderWalk {
 public:
  HolderWalk(const InodeGroups& inodes, std::size_t group_count,
             const std::string& proc_root, const ProcessScanLimits& limits)
      : inodes_(inodes),
        proc_root_(proc_root),
        limits_(limits),
        deadline_(std::chrono::steady_clock::now() + limits.budget),
        hits_(group_count) {
    result_.groups.resize(group_count);
    found_.reserve(inodes.size());
  }

  // False once a bound is hit: the walk stops there, incomplete.
  bool WithinBounds() {
    if (result_.stats.fds >= limits_.max_fds ||
        std::chrono::steady_clock::now() >= deadline_ ||
        limits_.stop.stop_requested()) {
      result_.stats.complete = false;
      return false;
    }
    return true;
  }

  void Visit(int pid) {
    const std::string dir = proc_root_ + "/" + std::to_string(pid);
    if (!CountHeld(dir + "/fd", inodes_, hits_, found_, result_.stats)) return;
    if (std::all_of(hits_.begin(), hits_.end(),
                    [](std::uint64_t n) { return n == 0; })) {
      return;
    }
    const std::string command = CommandOf(proc_root_, pid);
    const char state = StateOf(proc_root_, pid);
    for (std::size_t g = 0; g < hits_.size(); ++g) {
      if (hits_[g] > 0) {
        result_.groups[g].push_back({pid, command, hits_[g], state});
      }
    }
  }

  bool FoundAll() const { return found_.size() == inodes_.size(); }
  SocketHolders& result() { return result_; }

 private:
  const InodeGroups& inodes_;
  const std::string& proc_root_;
  const ProcessScanLimits& limits_;
  const std::chrono::steady_clock::time_point deadline_;
  std::vector<std::uint64_t> hits_;
  std::unordered_set<std::uint32_t> found_;
  SocketHolders result_;
};

void SortHolders(SocketHolders& holders) {
  for (auto& group : holders.groups) {
    std::sort(group.begin(), group.end(),
              [](const ProcessSockets& a, const ProcessSockets& b) {
                return a.sockets != b.sockets ? a.sockets > b.sockets
                                              : a.pid < b.pid;
              });
  }
}

}  // namespace

SocketHolders FindSocketHolders(const InodeGroups& inodes,
                                std::size_t group_count,
                                const std::string& proc_root,
                                const ProcessScanLimits& limits,
                                const CgroupScope* scope) {
  group_count = std::min(group_count, kMaxHolderGroups);
  if (inodes.empty() || group_count == 0) {
    SocketHolders empty;
    empty.groups.resize(group_count);
    return empty;
  }
  HolderWalk walk(inodes, group_count, proc_root, limits);
  const Dir proc(::opendir(proc_root.c_str()));
  if (!proc) {
    walk.result().stats.complete = false;
    return std::move(walk.result());
  }
  // Processes out of scope, walked only if the scoped ones did not hold
  // every socket: a socket can outlive its creator's cgroup (a process
  // that moved, a descriptor passed over a unix socket, a listener systemd
  // made in the .socket unit's cgroup for a .service).
  std::vector<int> out_of_scope;
  ProcessScanStats& stats = walk.result().stats;
  while (const dirent* entry = ::readdir(proc.get())) {
    const auto pid = PidOfProcEntry(entry->d_name);
    if (!pid) continue;
    if (!walk.WithinBounds()) break;
    ++stats.processes;
    if (scope != nullptr && !InScope(proc_root + "/" + entry->d_name, *scope)) {
      out_of_scope.push_back(*pid);
      continue;
    }
    walk.Visit(*pid);
  }
  std::size_t walked_late = 0;
  for (const int pid : out_of_scope) {
    if (walk.FoundAll() || !walk.WithinBounds()) break;
    walk.Visit(pid);
    ++walked_late;
  }
  stats.skipped = out_of_scope.size() - walked_late;
  SortHolders(walk.result());
  return std::move(walk.result());
}

}  // namespace tcpstated
