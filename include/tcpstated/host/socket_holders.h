#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tcpstated/model/finding.h"

namespace tcpstated {

// Bounds on one walk of /proc/*/fd: a host with millions of open files must
// not stall a collection. A walk that hits a bound reports what it found.
struct ProcessScanLimits {
  std::uint64_t max_fds = 4'000'000;
  std::chrono::milliseconds budget{3000};
  // Checked before each process: a daemon asked to stop stops walking.
  std::stop_token stop;
};

// Which processes to walk first: those whose cgroup v2 (from
// /proc/PID/cgroup, the directory's inode under `mount`) is one of `ids`.
// The dump names the cgroup that created every full socket, so a pileup's
// holders are usually found without reading every descriptor of the host.
struct CgroupScope {
  std::string mount;  // the cgroup v2 mount point
  std::unordered_set<std::uint64_t> ids;
};

// Socket inode -> the groups (bit i: group i, up to 64) it is looked for in.
using InodeGroups = std::unordered_map<std::uint32_t, std::uint64_t>;
inline constexpr std::size_t kMaxHolderGroups = 64;

struct SocketHolders {
  // Per group, the processes holding its sockets, most sockets first. A
  // socket shared by forked processes counts for each of them.
  std::vector<std::vector<ProcessSockets>> groups;
  ProcessScanStats stats;
};

// The inode of a socket from the target of a /proc/PID/fd/N link
// ("socket:[12345]"); nullopt for anything else.
std::optional<std::uint32_t> SocketInodeOfLink(std::string_view link);

// The state letter of a /proc/PID/stat line (R, S, D, T, t, Z, ...); '?'
// when the line is not one.
char ProcessStateOfStat(std::string_view stat);

// One walk of `proc_root`/*/fd, matching each open socket against `inodes`.
// Socket inodes are unique host-wide, so one walk serves every network
// namespace.
// With `scope`, processes of its cgroups are walked first and the others
// only while some socket is still unfound (those never walked count in
// ProcessScanStats::skipped).
SocketHolders FindSocketHolders(const InodeGroups& inodes,
                                std::size_t group_count,
                                const std::string& proc_root = "/proc",
                                const ProcessScanLimits& limits = {},
                                const CgroupScope* scope = nullptr);

}  // namespace tcpstated
