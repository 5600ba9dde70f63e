#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tcpstated/count/cgroup_counts.h"
#include "tcpstated/host/cgroup_paths.h"
#include "tcpstated/host/container_names.h"
#include "tcpstated/model/owners.h"

namespace tcpstated {

// What names the owners of sockets, kept across collections: cgroup ids to
// paths, paths to containers.
struct OwnerLookup {
  CgroupPaths& paths;
  ContainerNames& containers;
};

// The id of the root cgroup of a cgroup v2 hierarchy.
inline constexpr std::uint64_t kRootCgroupId = 1;

// Several cgroups of one owner add up (a unit's children, a container's
// processes); ids whose cgroup is gone are named "cgroup:ID". Owners are
// named by `lookup.containers` (see ContainerNames). At most `max_owners`
// owners are kept, busiest first.
Attribution Attribute(const CgroupCounts& counts, OwnerLookup lookup,
                      std::size_t max_owners);

}  // namespace tcpstated
