#include "tcpstated/host/cgroup_owners.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace tcpstated {

namespace {

// Names each cgroup once per collection, however many rows (its states,
// its listeners, its CLOSE_WAIT ports) mention it.
class CgroupNames {
 public:
  explicit CgroupNames(OwnerLookup lookup) : lookup_(lookup) {}
  const OwnerName& Of(std::uint64_t cgroup_id) {
    auto it = named_.find(cgroup_id);
    if (it == named_.end()) {
      it = named_.emplace(cgroup_id, Lookup(cgroup_id)).first;
    }
    return it->second;
  }

 private:
  OwnerName Lookup(std::uint64_t cgroup_id) {
    if (const auto path = lookup_.paths.PathOf(cgroup_id)) {
      return lookup_.containers.Name(*path);
    }
    // The root of a cgroup v2 hierarchy is always id 1 (its kernfs node),
    // whether or not the hierarchy can be read from here.
    if (cgroup_id == kRootCgroupId) return {"/", {}};
    return {"cgroup:" + std::to_string(cgroup_id), {}};
  }
  OwnerLookup lookup_;
  std::unordered_map<std::uint64_t, OwnerName> named_;
};

std::vector<PortOwner> PortOwners(const std::vector<PortCgroupSockets>& rows,
                                  CgroupNames& names) {
  std::map<std::tuple<Direction, std::uint16_t, std::string>, std::uint64_t>
      merged;
  for (const auto& row : rows) {
    merged[{row.port.direction, row.port.port,
            names.Of(row.cgroup_id).display}] += row.sockets;
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
  CgroupNames names(lookup);
  std::map<std::string, OwnerSockets> by_owner;
  for (const auto& cgroup : counts.cgroups) {
    const OwnerName& name = names.Of(cgroup.cgroup_id);
    OwnerSockets& owner = by_owner[name.display];
    owner.owner = name.display;
    owner.container = name.container;
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
  a.listeners = PortOwners(counts.listeners, names);
  a.close_waits = PortOwners(counts.close_waits, names);
  std::stable_sort(a.close_waits.begin(), a.close_waits.end(),
                   [](const PortOwner& x, const PortOwner& y) {
                     return x.sockets > y.sockets;
                   });
  a.unattributed = counts.overflow;
  return a;
}

}  // namespace tcpstated
