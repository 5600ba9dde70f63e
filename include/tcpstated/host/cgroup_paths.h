#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tcpstated {

// Maps cgroup ids to paths relative to the cgroup v2 root ("/system.slice").
class CgroupPaths {
 public:
  virtual ~CgroupPaths() = default;
  virtual std::optional<std::string> PathOf(std::uint64_t cgroup_id) = 0;
};

// The cgroup v2 mount point from a mountinfo file ("" if none is mounted).
std::string FindCgroup2Mount(const std::string& mountinfo);

// The cgroup v2 hierarchy as this process can reach it: its own mount, or,
// when its mount namespace has none (`ip netns exec` remounts /sys),
// init's, through /proc/1/root. "" when neither can be read.
std::string LocateCgroup2();

// Walks a cgroup v2 hierarchy level by level and calls `visit` with each
// cgroup's path (relative to `mount`, "/" for the root; every component
// sanitized, see SanitizeName) and id (its directory's inode). Cgroups come
// and go during a walk: a directory that vanished between being listed and
// being opened is skipped, and the walk goes on. At most `max_cgroups` are
// visited. Returns how many were.
std::size_t WalkCgroupTree(
    const std::string& mount,
    const std::function<void(const std::string& path, std::uint64_t id)>& visit,
    std::size_t max_cgroups = 200'000);

// Reads the cgroup v2 hierarchy, where a cgroup's id is its directory's
// inode number. Paths are cached; an unknown id triggers at most one rescan
// per collection (see NewCollection), which builds a new table and swaps it
// in. Ids a rescan did not find are remembered for `forget_missing_after`,
// so a socket whose cgroup is gone does not cost a walk every collection.
class CgroupFsPaths final : public CgroupPaths {
 public:
  using Clock = std::chrono::steady_clock;
  explicit CgroupFsPaths(
      std::string mount = LocateCgroup2(),
      std::chrono::seconds forget_missing_after = std::chrono::minutes(5));
  std::optional<std::string> PathOf(std::uint64_t cgroup_id) override;
  void NewCollection(Clock::time_point now = Clock::now());

  std::uint64_t rescans() const { return rescans_; }

 private:
  void Rescan();

  std::string mount_;
  std::chrono::seconds forget_missing_after_;
  std::unordered_map<std::uint64_t, std::string> paths_;
  std::unordered_map<std::uint64_t, Clock::time_point> missing_;
  Clock::time_point now_ = Clock::now();
  bool rescanned_ = false;
  std::uint64_t rescans_ = 0;
};

}  // namespace tcpstated
