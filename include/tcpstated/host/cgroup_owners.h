#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpstated/count/cgroup_counts.h"
#include "tcpstated/host/cgroup_paths.h"
#include "tcpstated/model/owners.h"

namespace tcpstated {

// The systemd unit a cgroup path belongs to: its deepest component naming a
// service or scope ("/system.slice/nginx.service/worker" -> "nginx.service").
// nullopt when no component does (the root cgroup, most container runtimes
// outside systemd).
std::optional<std::string> UnitOfCgroupPath(std::string_view path);

// What a cgroup is called in metrics and reports: its unit, else its path.
std::string OwnerOfCgroupPath(std::string_view path);

// Several cgroups of one unit add up; ids whose cgroup is gone are named
// "cgroup:ID". At most `max_owners` owners are kept, busiest first.
Attribution Attribute(const CgroupCounts& counts, CgroupPaths& paths,
                      std::size_t max_owners);

}  // namespace tcpstated
