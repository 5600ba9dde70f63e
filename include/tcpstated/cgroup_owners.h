#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tcpstated/cgroup_counter.h"

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

struct OwnerSockets {
  std::string owner;  // a unit, a cgroup path, or "other" (folded)
  StateCounts states{};
};

struct PortOwner {
  PortClass port{};
  std::string owner;
  std::uint64_t sockets = 0;
};

// Sockets by owner, from a dump's per-cgroup counts.
struct Attribution {
  std::vector<OwnerSockets> owners;    // busiest first, "other" last
  std::uint64_t owners_folded = 0;     // owners summed into "other"
  std::vector<PortOwner> listeners;    // by port, then owner
  std::vector<PortOwner> close_waits;  // busiest first
  std::uint64_t unattributed = 0;      // sockets past the counter's caps

  // Who to look at for a pileup of `state` on `port`: the owners of its
  // CLOSE_WAIT sockets (busiest first) for CLOSE_WAIT, else of its listeners
  // (none for an outbound port, whose TIME_WAIT and orphan sockets carry no
  // cgroup).
  std::vector<PortOwner> OwnersOf(PortClass port, TcpState state) const;
  // The same as one line: "leaky.service (37), /docker/4f2a (2)"; "" when
  // nobody is known.
  std::string DescribeOwnersOf(PortClass port, TcpState state) const;
};

// Several cgroups of one unit add up; ids whose cgroup is gone are named
// "cgroup:ID". At most `max_owners` owners are kept, busiest first.
Attribution Attribute(const CgroupCounter& counter, CgroupPaths& paths,
                      std::size_t max_owners);

}  // namespace tcpstated
