#include <algorithm>
#include <cstdio>
#include <vector>

#include "report_sections.h"
#include "text_table.h"

namespace tcpstated {
namespace {

std::string Rate(double per_second) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", per_second);
  return text;
}

// What a gauge is measured against, from the namespace's sysctls.
std::string LimitOf(const Snapshot& s, KernelCounter counter) {
  const char* sysctl = counter == KernelCounter::kOrphans ? "tcp_max_orphans"
                       : counter == KernelCounter::kMemoryPages
                           ? "tcp_mem_pressure"
                           : nullptr;
  if (sysctl == nullptr) return "";
  const auto limit = s.Sysctl(sysctl);
  return limit ? std::string(sysctl) + " " +
                     std::to_string(static_cast<long long>(*limit))
               : "";
}

}  // namespace

std::string StallsText(const Snapshot& snapshot) {
  // A busy server always has some unread data somewhere: the ten ports
  // with the most stalled sockets of each kind.
  constexpr std::size_t kRowsPerKind = 10;
  TextTable table({"KIND", "DIRECTION", "PORT", "SOCKETS", "BYTES QUEUED"});
  table.SetTextColumns(3);
  bool any = false;
  for (StallKind kind : kAllStallKinds) {
    const auto k = static_cast<std::size_t>(kind);
    std::vector<const PortRow*> rows;
    for (const PortRow& row : snapshot.ports) {
      if (row.stalls.sockets[k] > 0) rows.push_back(&row);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [k](const PortRow* a, const PortRow* b) {
                       return a->stalls.sockets[k] > b->stalls.sockets[k];
                     });
    if (rows.size() > kRowsPerKind) rows.resize(kRowsPerKind);
    for (const PortRow* row : rows) {
      table.AddRow({std::string(StallKindName(kind)),
                    std::string(DirectionName(row->direction)),
                    PortLabel(row->port),
                    std::to_string(row->stalls.sockets[k]),
                    std::to_string(row->stalls.bytes[k])});
      any = true;
    }
  }
  if (!any) return "";
  return "\nStalled connections (unread: this program does not read; "
         "retransmitting: the peer does not acknowledge; zero_window: the "
         "peer does not read; not_sent: our segments do not leave this "
         "host)\n" +
         table.Render();
}

std::string KernelText(const Snapshot& s) {
  const bool rates = s.kernel_before && s.kernel_interval.count() > 0;
  TextTable table({"COUNTER", "TOTAL", rates ? "PER SECOND" : "", "LIMIT"});
  bool any = false;
  for (KernelCounter counter : kAllKernelCounters) {
    const auto value = Get(s.kernel, counter);
    if (!value) continue;
    std::string rate;
    if (IsGauge(counter)) {
      rate = rates ? "(now)" : "";
    } else if (rates) {
      const auto before = Get(*s.kernel_before, counter);
      if (before && *value >= *before) {
        rate = Rate(static_cast<double>(*value - *before) /
                    s.kernel_interval.count());
      }
    }
    table.AddRow({std::string(KernelCounterName(counter)),
                  std::to_string(*value), rate, LimitOf(s, counter)});
    any = true;
  }
  if (!any) return "";
  char header[128];
  if (rates) {
    std::snprintf(header, sizeof header,
                  "\nKernel TCP counters (per second over %.1f s)\n",
                  s.kernel_interval.count());
  } else {
    std::snprintf(header, sizeof header,
                  "\nKernel TCP counters (since boot; --interval 1s for "
                  "rates)\n");
  }
  return header + table.Render();
}

}  // namespace tcpstated
