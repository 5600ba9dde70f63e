#include "tcpstated/detect/pileup_groups.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "tcpstated/detect/diagnosis.h"

namespace tcpstated {
namespace {

using GroupKey = std::tuple<std::size_t, Direction, std::string, std::string>;

// What identifies who holds a pileup: owner names, and traced pids.
std::pair<std::string, std::string> HolderKey(
    const std::vector<PortOwner>& owners,
    const std::vector<ProcessSockets>& processes) {
  std::vector<std::string> names;
  for (const PortOwner& o : owners) names.push_back(o.owner);
  std::sort(names.begin(), names.end());
  std::string owner_key, process_key;
  for (const auto& name : names) owner_key += name + '\n';
  std::vector<int> pids;
  for (const ProcessSockets& p : processes) pids.push_back(p.pid);
  std::sort(pids.begin(), pids.end());
  for (int pid : pids) process_key += std::to_string(pid) + ',';
  return {owner_key, process_key};
}

void AddOwners(std::vector<PortOwner>& into,
               const std::vector<PortOwner>& more) {
  for (const PortOwner& o : more) {
    auto it = std::find_if(into.begin(), into.end(), [&](const PortOwner& x) {
      return x.owner == o.owner;
    });
    if (it == into.end()) {
      into.push_back(o);
    } else {
      it->sockets += o.sockets;
    }
  }
}

void AddProcesses(std::vector<ProcessSockets>& into,
                  const std::vector<ProcessSockets>& more) {
  for (const ProcessSockets& p : more) {
    auto it =
        std::find_if(into.begin(), into.end(),
                     [&](const ProcessSockets& x) { return x.pid == p.pid; });
    if (it == into.end()) {
      into.push_back(p);
    } else {
      it->sockets += p.sockets;
    }
  }
}

}  // namespace

std::vector<PileupGroup> GroupPileups(const std::vector<Pileup>& pileups,
                                      const Snapshot& snapshot) {
  std::map<GroupKey, PileupGroup> groups;
  for (const Pileup& p : pileups) {
    const std::vector<PortOwner> owners =
        p.port && !p.stall
            ? snapshot.owners.OwnersOf({p.direction, *p.port}, p.state)
            : std::vector<PortOwner>{};
    const auto [owner_key, process_key] = HolderKey(owners, p.processes);
    const std::size_t subject =
        p.stall ? kTcpStateCount + static_cast<std::size_t>(*p.stall)
                : Index(p.state);
    PileupGroup& g = groups[{subject, p.direction, owner_key, process_key}];
    if (g.first == nullptr || p.sockets > g.first->sockets) g.first = &p;
    g.state = p.state;
    g.stall = p.stall;
    g.direction = p.direction;
    if (p.port) g.ports.push_back(*p.port);
    g.sockets += p.sockets;
    g.share += p.share;
    g.bytes += p.bytes;
    AddOwners(g.owners, owners);
    AddProcesses(g.processes, p.processes);
  }
  std::vector<PileupGroup> out;
  for (auto& [key, g] : groups) {
    std::sort(g.ports.begin(), g.ports.end());
    std::sort(g.owners.begin(), g.owners.end(),
              [](const PortOwner& a, const PortOwner& b) {
                return a.sockets > b.sockets;
              });
    std::sort(g.processes.begin(), g.processes.end(),
              [](const ProcessSockets& a, const ProcessSockets& b) {
                return a.sockets != b.sockets ? a.sockets > b.sockets
                                              : a.pid < b.pid;
              });
    Pileup whole = *g.first;
    whole.sockets = g.sockets;
    whole.bytes = g.bytes;
    g.diagnosis = Diagnose(whole, snapshot, DescribePorts(g.ports));
    out.push_back(std::move(g));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PileupGroup& a, const PileupGroup& b) {
                     return a.sockets > b.sockets;
                   });
  return out;
}

std::string DescribePorts(const std::vector<std::uint16_t>& ports) {
  std::string text;
  for (std::size_t i = 0; i < ports.size();) {
    std::size_t j = i;
    while (j + 1 < ports.size() && ports[j + 1] == ports[j] + 1) ++j;
    if (!text.empty()) text += ", ";
    text += std::to_string(ports[i]);
    if (j > i) text += "-" + std::to_string(ports[j]);
    i = j + 1;
  }
  return text;
}

std::string PortsPhrase(const std::vector<std::uint16_t>& ports) {
  if (ports.size() == 1) return "port " + std::to_string(ports[0]);
  return "ports " + DescribePorts(ports) + " (" + std::to_string(ports.size()) +
         " ports)";
}

std::string DescribeOwners(const std::vector<PortOwner>& owners) {
  std::string text;
  for (const PortOwner& o : owners) {
    if (!text.empty()) text += ", ";
    text += o.owner + " (" + std::to_string(o.sockets) + ")";
  }
  return text;
}

}  // namespace tcpstated
