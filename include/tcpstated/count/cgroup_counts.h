#pragma once

#include <cstdint>
#include <vector>

#include "tcpstated/model/ports.h"
#include "tcpstated/model/tcp_state.h"

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

// What one dump says about cgroups: only full sockets carry one (TIME_WAIT,
// request and orphaned sockets have none).
struct CgroupCounts {
  std::vector<CgroupSockets> cgroups;
  std::vector<PortCgroupSockets> listeners;    // per (port, cgroup)
  std::vector<PortCgroupSockets> close_waits;  // per (port, cgroup)
  std::uint64_t overflow = 0;  // sockets that found no room in the tables
};

}  // namespace tcpstated
