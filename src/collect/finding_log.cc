#include "tcpstated/collect/finding_log.h"

#include <algorithm>
#include <map>
#include <utility>

#include "tcpstated/detect/explain.h"
#include "tcpstated/detect/finding_text.h"
#include "tcpstated/detect/judge.h"

namespace tcpstated {
namespace {

const Finding* Find(const std::vector<Finding>& findings, const FindingId& id) {
  for (const Finding& f : findings) {
    if (IdOf(f) == id) return &f;
  }
  return nullptr;
}

int MainPid(const Finding& f) {
  return f.evidence.processes.empty() ? 0 : f.evidence.processes.front().pid;
}

// The finding, said as the report says it: what and where, how much, who,
// why, and what to check.
std::string Story(const Finding& f, const Snapshot& s,
                  const std::string& where) {
  std::string text = Headline(f) + where + " (" + HowMuch(f, s) + ")";
  const std::string who = Who(f);
  if (!who.empty()) text += "; " + who;
  return text + ": " + f.why + ". Check: " + f.check;
}

LogLevel LevelOf(const Finding& f) {
  return f.severity == Severity::kCritical ? LogLevel::kError : LogLevel::kWarn;
}

// The active group (as logged before) that a started group adds ports to.
const Finding* GroupItJoins(const Finding& started,
                            const std::vector<Finding>& active_groups) {
  for (const Finding& g : active_groups) {
    if (g.kind == started.kind && g.direction == started.direction &&
        g.ports.size() > started.ports.size() &&
        std::includes(g.ports.begin(), g.ports.end(), started.ports.begin(),
                      started.ports.end()) &&
        MainPid(g) == MainPid(started) && MainPid(g) != 0) {
      return &g;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<LogLine> FindingChangeLines(const std::vector<Finding>& before,
                                        const std::vector<Finding>& now,
                                        const Snapshot& snapshot,
                                        const std::string& where) {
  std::vector<LogLine> lines;
  std::vector<Finding> started;
  for (const Finding& f : now) {
    const Finding* old = Find(before, IdOf(f));
    if (old == nullptr) {
      started.push_back(f);
    } else if (old->severity != f.severity || old->cause != f.cause ||
               MainPid(*old) != MainPid(f)) {
      lines.push_back({LevelOf(f), "finding changed, now " +
                                       std::string(SeverityName(f.severity)) +
                                       ": " + Story(f, snapshot, where)});
    }
  }
  std::vector<Finding> active_groups = GroupFindings(now);
  for (Finding& g : active_groups) Explain(g, snapshot);
  for (Finding& g : GroupFindings(started)) {
    Explain(g, snapshot);
    if (const Finding* joined = GroupItJoins(g, active_groups)) {
      lines.push_back({LogLevel::kInfo,
                       "finding spreads: " + Headline(g) + where +
                           " too; now " + PortsPhrase(joined->ports) + ", " +
                           std::to_string(joined->sockets) + " sockets"});
      continue;
    }
    lines.push_back({LevelOf(g), "finding: " + Story(g, snapshot, where)});
  }
  // Ended: whoever held them, one line per kind and direction.
  std::map<std::pair<FindingKind, Direction>, std::vector<std::uint16_t>> ended;
  for (const Finding& f : before) {
    if (Find(now, IdOf(f)) != nullptr) continue;
    auto& ports = ended[{f.kind, f.direction}];
    ports.insert(ports.end(), f.ports.begin(), f.ports.end());
  }
  for (auto& [key, ports] : ended) {
    std::sort(ports.begin(), ports.end());
    lines.push_back(
        {LogLevel::kInfo,
         "finding ended: " + std::string(FindingKindTitle(key.first)) + ": " +
             std::string(DirectionName(key.second)) +
             (ports.empty() ? "" : " " + PortsPhrase(ports)) + where});
  }
  return lines;
}

}  // namespace tcpstated
