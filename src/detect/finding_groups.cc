#include <algorithm>

#include "tcpstated/detect/finding_text.h"

namespace tcpstated {
namespace {

std::vector<int> Pids(const Finding& f) {
  std::vector<int> pids;
  for (const ProcessSockets& p : f.evidence.processes) pids.push_back(p.pid);
  std::sort(pids.begin(), pids.end());
  return pids;
}

std::vector<std::string> Units(const Finding& f) {
  std::vector<std::string> names;
  for (const PortOwner& o : f.owners) names.push_back(o.owner);
  std::sort(names.begin(), names.end());
  return names;
}

bool SameProgram(const Finding& a, const Finding& b) {
  return a.kind == b.kind && a.direction == b.direction && !a.destination &&
         !b.destination && !a.ports.empty() && !b.ports.empty() &&
         !a.evidence.processes.empty() && Pids(a) == Pids(b) &&
         Units(a) == Units(b);
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
  std::stable_sort(into.begin(), into.end(),
                   [](const ProcessSockets& a, const ProcessSockets& b) {
                     return a.sockets > b.sockets;
                   });
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

void Merge(Finding& into, const Finding& more) {
  into.ports.insert(into.ports.end(), more.ports.begin(), more.ports.end());
  std::sort(into.ports.begin(), into.ports.end());
  into.severity = std::max(into.severity, more.severity);
  into.sockets += more.sockets;
  into.share += more.share;
  into.bytes += more.bytes;
  into.detail += more.detail;
  into.limit = std::max(into.limit, more.limit);
  into.since = std::min(into.since, more.since);
  Evidence& e = into.evidence;
  e.sockets += more.evidence.sockets;
  e.orphans += more.evidence.orphans;
  e.fin_unread += more.evidence.fin_unread;
  AddProcesses(e.processes, more.evidence.processes);
  AddOwners(into.owners, more.owners);
}

}  // namespace

std::vector<Finding> GroupFindings(const std::vector<Finding>& findings) {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Finding& g) { return SameProgram(g, f); });
    if (it == out.end()) {
      out.push_back(f);
    } else {
      Merge(*it, f);
    }
  }
  return out;
}

}  // namespace tcpstated
