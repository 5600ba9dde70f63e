#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tcpstated/port_classifier.h"
#include "tcpstated/socket_record.h"
#include "tcpstated/tcp_state.h"

namespace tcpstated {

// Full sockets of one cgroup (cgroup v2 id, as the kernel reports it in
// INET_DIAG_CGROUP_ID).
struct CgroupSockets {
  std::uint64_t cgroup_id = 0;
  StateCounts states{};
};

// Sockets of one classified port held by one cgroup: which program owns a
// port's listeners, or its CLOSE_WAIT sockets.
struct PortCgroupSockets {
  PortClass port{};
  std::uint64_t cgroup_id = 0;
  std::uint64_t sockets = 0;
};

// Counts sockets per cgroup while a dump streams. Only full sockets carry a
// cgroup: TIME_WAIT, request (SYN_RECV) and orphaned sockets have none and
// are not counted here. A host has hundreds of cgroups, not millions of
// sockets, so the maps stay small; each is capped all the same, and what
// finds no room is counted in overflow().
class CgroupCounter {
 public:
  explicit CgroupCounter(std::size_t max_entries = 4096);

  // `cls` is the socket's classified port (for LISTEN: inbound, local port).
  void Add(const SocketRecord& record, PortClass cls) noexcept;

  std::vector<CgroupSockets> Cgroups() const;
  // Listeners per (port, cgroup) and CLOSE_WAIT sockets per (port, cgroup).
  std::vector<PortCgroupSockets> Listeners() const;
  std::vector<PortCgroupSockets> CloseWaits() const;
  std::uint64_t overflow() const { return overflow_; }

 private:
  // Ordered by cgroup, then direction and port.
  using PortKey = std::pair<std::uint64_t, std::uint32_t>;
  using PortCounts = std::map<PortKey, std::uint64_t>;
  static std::vector<PortCgroupSockets> Unpack(const PortCounts& counts);
  void Increment(PortCounts& counts, PortClass cls,
                 std::uint64_t cgroup_id) noexcept;

  std::size_t max_entries_;
  std::unordered_map<std::uint64_t, StateCounts> by_cgroup_;
  PortCounts listeners_;
  PortCounts close_waits_;
  std::uint64_t overflow_ = 0;
};

}  // namespace tcpstated
