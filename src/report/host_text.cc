// `report --collect.netns all`: the namespaces with findings first, each
// in full; the quiet ones folded into one line.
#include <algorithm>

#include "report_sections.h"
#include "tcpstated/report/report.h"

namespace tcpstated {
namespace {

Severity Worst(const Snapshot& s) {
  Severity worst = Severity::kWarning;
  for (const Finding& f : s.findings) worst = std::max(worst, f.severity);
  return worst;
}

std::string Heading(const NamespaceResult& ns) {
  const StateCounts totals = ns.snapshot->Totals();
  std::string out = "=== Network namespace " + ns.netns.Label();
  if (!ns.netns.name.empty()) {
    out += " (inode " + std::to_string(ns.netns.inode) + ")";
  }
  if (!ns.netns.owner.display.empty()) out += ", " + ns.netns.owner.display;
  return out + ": " + std::to_string(Total(totals)) + " sockets, " +
         std::to_string(ns.snapshot->findings.size()) + " findings ===\n\n";
}

}  // namespace

std::vector<const NamespaceResult*> FindingsFirst(const Sweep& sweep) {
  std::vector<const NamespaceResult*> out;
  for (const NamespaceResult& ns : sweep.results) {
    if (ns.snapshot) out.push_back(&ns);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const NamespaceResult* a, const NamespaceResult* b) {
                     const Snapshot& x = *a->snapshot;
                     const Snapshot& y = *b->snapshot;
                     if (x.findings.empty() != y.findings.empty()) {
                       return !x.findings.empty();
                     }
                     if (x.findings.empty()) return false;
                     if (Worst(x) != Worst(y)) return Worst(x) > Worst(y);
                     return x.findings.size() > y.findings.size();
                   });
  return out;
}

std::string FormatTextReport(const Sweep& sweep,
                             const TextReportOptions& options) {
  std::string out;
  std::size_t collected = 0, quiet = 0, failed = 0;
  std::uint64_t quiet_sockets = 0;
  std::string quiet_names;
  for (const NamespaceResult* ns : FindingsFirst(sweep)) {
    ++collected;
    if (ns->snapshot->findings.empty()) {
      ++quiet;
      quiet_sockets += Total(ns->snapshot->Totals());
      if (quiet <= 10) {
        quiet_names += (quiet_names.empty() ? "" : ", ") + ns->netns.Label();
      }
      continue;
    }
    out += Heading(*ns) + FormatTextReport(*ns->snapshot, options) + "\n";
  }
  if (quiet > 0) {
    out += std::to_string(quiet) + " network namespaces without findings (" +
           std::to_string(quiet_sockets) + " sockets): " + quiet_names +
           (quiet > 10 ? ", ..." : "") +
           "; `tcpstated report --collect.netns NAME` shows one.\n\n";
  }
  for (const NamespaceResult& failure : sweep.results) {
    if (failure.snapshot) continue;
    ++failed;
    out += "=== Network namespace " + failure.netns.Label() +
           ": collection failed: " + failure.message + " ===\n\n";
  }
  out += std::to_string(collected) + " network namespaces";
  if (failed > 0) out += ", " + std::to_string(failed) + " failed";
  if (sweep.empty > 0) {
    out += ", " + std::to_string(sweep.empty) + " more without TCP sockets";
  }
  if (sweep.vanished > 0) {
    out += ", " + std::to_string(sweep.vanished) +
           " gone before they could be read";
  }
  if (sweep.denied > 0) {
    out += ", " + std::to_string(sweep.denied) +
           " not entered (needs CAP_SYS_ADMIN)";
  }
  return out + ".\n";
}

}  // namespace tcpstated
