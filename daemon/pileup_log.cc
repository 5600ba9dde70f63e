#include "pileup_log.h"

#include <spdlog/spdlog.h>

#include "tcpstated/detect/diagnosis.h"

namespace tcpstated {

void LogPileupChanges(const PileupDetector::Changes& changes,
                      const Snapshot& snapshot, const std::string& where) {
  for (const Pileup& p : changes.started) {
    const std::string owners = p.port ? snapshot.owners.DescribeOwnersOf(
                                            {p.direction, *p.port}, p.state)
                                      : "";
    const std::string processes =
        p.processes.empty() ? "" : " by " + DescribeProcesses(p.processes);
    spdlog::warn("pileup: {} {} sockets {} port {}{} ({:.0f}% of all){}{}: {}",
                 p.sockets, StateNetstatName(p.state),
                 DirectionName(p.direction), PortLabel(p.port), where,
                 p.share * 100, owners.empty() ? "" : ", held by " + owners,
                 processes, Diagnose(p));
  }
  for (const Pileup& p : changes.cleared) {
    spdlog::info("pileup cleared: {} {} port {}{}", StateNetstatName(p.state),
                 DirectionName(p.direction), PortLabel(p.port), where);
  }
}

}  // namespace tcpstated
