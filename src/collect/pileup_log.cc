#include "tcpstated/collect/pileup_log.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

#include "tcpstated/detect/pileup_groups.h"

namespace tcpstated {
namespace {

std::string Subject(const Pileup& p) {
  return p.stall ? "stalled (" + std::string(StallKindName(*p.stall)) + ")"
                 : std::string(StateNetstatName(p.state));
}

std::vector<std::string> OwnerNames(const PileupGroup& g) {
  std::vector<std::string> names;
  for (const PortOwner& o : g.owners) names.push_back(o.owner);
  std::sort(names.begin(), names.end());
  return names;
}

// The flagged group `started` adds ports to, if one was flagged before: a
// leak crosses the threshold port by port, and must still warn only once.
const PileupGroup* GroupItJoins(const PileupGroup& started,
                                const std::vector<PileupGroup>& active) {
  for (const PileupGroup& a : active) {
    if (a.state != started.state || a.stall != started.stall ||
        a.direction != started.direction ||
        a.ports.size() <= started.ports.size() ||
        OwnerNames(a) != OwnerNames(started)) {
      continue;
    }
    if (std::includes(a.ports.begin(), a.ports.end(), started.ports.begin(),
                      started.ports.end())) {
      return &a;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<LogLine> PileupChangeLines(const PileupDetector::Changes& changes,
                                       const std::vector<Pileup>& active,
                                       const Snapshot& snapshot,
                                       const std::string& where) {
  std::vector<LogLine> lines;
  const std::vector<PileupGroup> active_groups = GroupPileups(active, snapshot);
  // One warning per group: a program leaking on 30 ports is one line.
  for (const PileupGroup& g : GroupPileups(changes.started, snapshot)) {
    if (const PileupGroup* joined = GroupItJoins(g, active_groups)) {
      lines.push_back(
          {LogLevel::kInfo, "pileup spreads: " + Subject(*g.first) + " " +
                                std::string(DirectionName(g.direction)) + " " +
                                PortsPhrase(g.ports) + where + " too; now " +
                                PortsPhrase(joined->ports) + ", " +
                                std::to_string(joined->sockets) + " sockets"});
      continue;
    }
    char share[16];
    std::snprintf(share, sizeof share, "%.0f", g.share * 100);
    const std::string owners = DescribeOwners(g.owners);
    const std::string processes =
        g.processes.empty() ? "" : " by " + DescribeProcesses(g.processes);
    lines.push_back(
        {LogLevel::kWarn,
         "pileup: " + std::to_string(g.sockets) + " " + Subject(*g.first) +
             " sockets " + std::string(DirectionName(g.direction)) + " " +
             PortsPhrase(g.ports) + where + " (" + share + "% of all)" +
             (owners.empty() ? "" : ", held by " + owners) + processes + ": " +
             g.diagnosis});
  }
  // Cleared: whoever held them, one line per state and direction.
  std::map<std::pair<std::string, Direction>, std::vector<std::uint16_t>>
      cleared;
  for (const Pileup& p : changes.cleared) {
    if (p.port) cleared[{Subject(p), p.direction}].push_back(*p.port);
  }
  for (auto& [key, ports] : cleared) {
    std::sort(ports.begin(), ports.end());
    lines.push_back(
        {LogLevel::kInfo, "pileup cleared: " + key.first + " " +
                              std::string(DirectionName(key.second)) + " " +
                              PortsPhrase(ports) + where});
  }
  return lines;
}

}  // namespace tcpstated
