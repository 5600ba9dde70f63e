#include "tcpstated/host/cgroup_owners.h"

#include <algorithm>
#include <map>

namespace tcpstated {

namespace {

OwnerName OwnerOf(std::uint64_t cgroup_id, OwnerLookup lookup) {
  if (const auto path = lookup.paths.PathOf(cgroup_id)) {
    return lookup.containers.Name(*path);
  }
  return {"cgroup:" + std::to_string(cgroup_id), {}};
}

std::vector<PortOwner> PortOwners(const std::vector<PortCgroupSockets>& rows,
                                  OwnerLookup lookup) {
  std::map<std::tuple<Direction, std::uint16_t, std::string>, std::uint64_t>
      merged;
  for (const auto& row : rows) {
    merged[{row.port.direction, row.port.port,
            OwnerOf(row.cgroup_id, lookup).display}] += row.sockets;
  }
  std::vector<PortOwner> out;
  for (const auto& [key, sockets] : merged) {
    out.push_back(
        {{std::get<0>(key), std::get<1>(key)}, std::get<2>(key), sockets});
  }
  return out;
}

}  // namespace

Attribution Attribute(const CgroupCounts& counts, OwnerLookup lookup,
                      std::size_t max_owners) {
  Attribution a;
  std::map<std::string, OwnerSockets> by_owner;
  for (const auto& cgroup : counts.cgroups) {
    OwnerName name = OwnerOf(cgroup.cgroup_id, lookup);
    OwnerSockets& owner = by_owner[name.display];
    owner.owner = std::move(name.display);
    owner.container = std::move(name.container);
    AddTo(owner.states, cgroup.states);
  }
  for (auto& [display, owner] : by_owner) a.owners.push_back(std::move(owner));
  std::stable_sort(a.owners.begin(), a.owners.end(),
                   [](const OwnerSockets& x, const OwnerSockets& y) {
                     return Total(x.states) > Total(y.states);
                   });
  if (a.owners.size() > max_owners) {
    OwnerSockets other{"other", {}, {}};
    for (std::size_t i = max_owners; i < a.owners.size(); ++i) {
      AddTo(other.states, a.owners[i].states);
    }
    a.owners_folded = a.owners.size() - max_owners;
    a.owners.resize(max_owners);
    a.owners.push_back(std::move(other));
  }
  a.listeners = PortOwners(counts.listeners, lookup);
  a.close_waits = PortOwners(counts.close_waits, lookup);
  std::stable_sort(a.close_waits.begin(), a.close_waits.end(),
                   [](const PortOwner& x, const PortOwner& y) {
                     return x.sockets > y.sockets;
                   });
  a.unattributed = counts.overflow;
  return a;
}

}  // namespace tcpstated
