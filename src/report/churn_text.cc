// Connection churn per port over the report's --interval (collect.events =
// bpf): how fast connections come and go, and who ends them.
#include <cstdio>

#include "report_sections.h"
#include "text_table.h"

namespace tcpstated {
namespace {

std::string PerSecond(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, rate < 100 ? "%.1f" : "%.0f", rate);
  return text;
}

std::string Share(double part, double all) {
  if (all <= 0) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.0f%%", 100 * part / all);
  return text;
}

}  // namespace

std::string ChurnText(const Snapshot& s, std::size_t top) {
  if (!s.churn_enabled || !s.churn_before) return "";
  const std::vector<ChurnRate> rates = s.ChurnRates();
  TextTable table({"DIRECTION", "PORT", "OPENED", "CLOSED", "HERE FIRST",
                   "BY RESET", "FAILED CONNECTS", "RESETS", "RETRANSMITS"});
  table.SetTextColumns(2);
  std::size_t shown = 0;
  for (const ChurnRate& r : rates) {
    if (shown == top) break;
    const double closes = r.Closes();
    if (r.Activity() <= 0) continue;
    table.AddRow(
        {std::string(DirectionName(r.direction)), PortLabel(r.port),
         PerSecond(r.opens), PerSecond(closes),
         Share(r.closes[static_cast<std::size_t>(Closer::kHere)], closes),
         Share(r.closes[static_cast<std::size_t>(Closer::kReset)], closes),
         PerSecond(r.failed_connects), PerSecond(r.resets[0] + r.resets[1]),
         PerSecond(r.retransmits[0] + r.retransmits[1])});
    ++shown;
  }
  char header[160];
  std::snprintf(header, sizeof header,
                "\nConnection churn per port (per second over %.1f s; HERE "
                "FIRST: closes this host began, holding TIME_WAIT)\n",
                s.churn_interval.count());
  return header + (shown > 0 ? table.Render()
                             : std::string("(no connection opened or "
                                           "closed)\n"));
}

}  // namespace tcpstated
