#include <cstdio>

#include "report_sections.h"
#include "tcpstated/detect/pileup_groups.h"
#include "tcpstated/host/pileup_tracer.h"
#include "text_table.h"

namespace tcpstated {
namespace {

// The oldest CLOSE_WAIT socket of a group's ports.
std::optional<double> OldestOf(const Snapshot& snapshot, const PileupGroup& g) {
  std::optional<double> oldest;
  for (const CloseWaitAge& age : snapshot.close_wait_ages) {
    if (age.direction != g.direction) continue;
    for (std::uint16_t port : g.ports) {
      if (age.port == port)
        oldest = std::max(oldest.value_or(0), age.oldest_seconds);
    }
  }
  return oldest;
}

// The processes behind a pileup, or why none are named.
std::string Processes(const Snapshot& snapshot, const PileupGroup& g) {
  if (!g.processes.empty()) {
    return std::string(g.state == TcpState::kCloseWait || g.stall
                           ? "\n  processes: "
                           : "\n  listening processes: ") +
           DescribeProcesses(g.processes);
  }
  if (!snapshot.process_scan || !CanTraceToProcesses(*g.first)) return "";
  const ProcessScanStats& scan = *snapshot.process_scan;
  std::string out = "\n  processes: none found";
  if (scan.unreadable > 0) {
    out += " (" + std::to_string(scan.unreadable) +
           " processes could not be read: run as root or with "
           "CAP_SYS_PTRACE)";
  } else if (!scan.complete) {
    out += " (the walk of /proc stopped at its bound)";
  }
  return out;
}

std::string Headline(const Snapshot& snapshot, const PileupGroup& g) {
  char share[16];
  std::snprintf(share, sizeof share, "%.0f%%", g.share * 100);
  std::string line =
      (g.stall ? "stalled (" + std::string(StallKindName(*g.stall)) + ")"
               : std::string(StateNetstatName(g.state))) +
      " " + std::string(DirectionName(g.direction)) + " " +
      PortsPhrase(g.ports) + ": " + std::to_string(g.sockets) + " sockets (" +
      share + " of all)";
  if (g.stall) line += ", " + std::to_string(g.bytes) + " bytes queued";
  if (g.state == TcpState::kCloseWait && !g.stall) {
    if (const auto oldest = OldestOf(snapshot, g)) {
      line += ", oldest waiting " + FormatDuration(*oldest);
    }
  }
  return line;
}

}  // namespace

std::string PileupsText(const Snapshot& snapshot) {
  if (snapshot.pileups.empty()) return "";
  std::string out = "Pileups\n";
  for (const PileupGroup& g : GroupPileups(snapshot.pileups, snapshot)) {
    out += Headline(snapshot, g);
    if (!g.owners.empty()) out += "\n  held by: " + DescribeOwners(g.owners);
    out += Processes(snapshot, g);
    out += "\n  likely cause: " + g.diagnosis + "\n";
  }
  return out + "\n";
}

}  // namespace tcpstated
