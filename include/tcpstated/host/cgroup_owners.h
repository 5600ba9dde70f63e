#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tcpstated/count/cgroup_counts.h"
#include "tcpstated/model/owners.h"

namespace tcpstated {

// The systemd unit a cgroup path belongs to: its deepest component naming a
// service or scope ("/system.slice/nginx.service/worker" -> "nginx.service").
// nullopt when no component does (the root cgroup, most container runtimes
// outside systemd).
std::optional<std::string> UnitOfCgroupPath(std::string_view path);

// What a cgroup is called in metrics and reports: its unit, else its path.
std::string OwnerOfCgroupPath(std::string_view path);

// Maps cgroup ids to paths relative to the cgroup v2 root ("/system.slice").
class CgroupPaths {
 public:
  virtual ~CgroupPaths() = default;
  virtual std::optional<std::string> PathOf(std::uint64_t cgroup_id) = 0;
};

// The cgroup v2 mount point from a mountinfo file ("" if none is mounted).
std::string FindCgroup2Mount(
    const std::string& mountinfo = "/proc/self/mountinfo");

// Reads the cgroup v2 hierarchy, where a cgroup's id is its directory's
// inode number. Paths are cached; an unknown id triggers one rescan of the
// hierarchy per collection (see NewCollection), so a burst of sockets from a
// cgroup that vanished costs one walk, not one per socket.
class CgroupFsPaths final : public CgroupPaths {
 public:
  explicit CgroupFsPaths(std::string mount = FindCgroup2Mount());
  std::optional<std::string> PathOf(std::uint64_t cgroup_id) override;
  void NewCollection() { rescanned_ = false; }

 private:
  void Rescan();

  std::string mount_;
  std::unordered_map<std::uint64_t, std::string> paths_;
  bool rescanned_ = false;
};

// Several cgroups of one unit add up; ids whose cgroup is gone are named
// "cgroup:ID". At most `max_owners` owners are kept, busiest first.
Attribution Attribute(const CgroupCounts& counts, CgroupPaths& paths,
                      std::size_t max_owners);

}  // namespace tcpstated
