#include "tcpstated/host/cgroup_owners.h"

#include <algorithm>
#include <map>

namespace tcpstated {

namespace {

// "nginx.service", not a bare ".service".
bool IsUnitName(std::string_view part) {
  for (std::string_view suffix : {".service", ".scope"}) {
    if (part.size() > suffix.size() && part.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> UnitOfCgroupPath(std::string_view path) {
  std::optional<std::string> unit;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (IsUnitName(part)) unit = std::string(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return unit;
}

std::string OwnerOfCgroupPath(std::string_view path) {
  auto unit = UnitOfCgroupPath(path);
  return unit ? *unit : std::string(path);
}

namespace {

std::string OwnerOf(std::uint64_t cgroup_id, CgroupPaths& paths) {
  const auto path = paths.PathOf(cgroup_id);
  return path ? OwnerOfCgroupPath(*path)
              : "cgroup:" + std::to_string(cgroup_id);
}

std::vector<PortOwner> PortOwners(const std::vector<PortCgroupSockets>& rows,
                                  CgroupPaths& paths) {
  std::map<std::tuple<Direction, std::uint16_t, std::string>, std::uint64_t>
      merged;
  for (const auto& row : rows) {
    merged[{row.port.direction, row.port.port,
            OwnerOf(row.cgroup_id, paths)}] += row.sockets;
  }
  std::vector<PortOwner> out;
  for (const auto& [key, sockets] : merged) {
    out.push_back(
        {{std::get<0>(key), std::get<1>(key)}, std::get<2>(key), sockets});
  }
  return out;
}

}  // namespace

Attribution Attribute(const CgroupCounts& counts, CgroupPaths& paths,
                      std::size_t max_owners) {
  Attribution a;
  std::map<std::string, StateCounts> by_owner;
  for (const auto& cgroup : counts.cgroups) {
    AddTo(by_owner[OwnerOf(cgroup.cgroup_id, paths)], cgroup.states);
  }
  for (auto& [owner, states] : by_owner) a.owners.push_back({owner, states});
  std::stable_sort(a.owners.begin(), a.owners.end(),
                   [](const OwnerSockets& x, const OwnerSockets& y) {
                     return Total(x.states) > Total(y.states);
                   });
  if (a.owners.size() > max_owners) {
    OwnerSockets other{"other", {}};
    for (std::size_t i = max_owners; i < a.owners.size(); ++i) {
      AddTo(other.states, a.owners[i].states);
    }
    a.owners_folded = a.owners.size() - max_owners;
    a.owners.resize(max_owners);
    a.owners.push_back(std::move(other));
  }
  a.listeners = PortOwners(counts.listeners, paths);
  a.close_waits = PortOwners(counts.close_waits, paths);
  std::stable_sort(a.close_waits.begin(), a.close_waits.end(),
                   [](const PortOwner& x, const PortOwner& y) {
                     return x.sockets > y.sockets;
                   });
  a.unattributed = counts.overflow;
  return a;
}

}  // namespace tcpstated
