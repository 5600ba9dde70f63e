// What the event source's churn rates add to a finding's why: how fast
// the connections behind it come and go, and who ends them.
#include <cstdio>

#include "explain_text.h"

namespace tcpstated {
namespace {

// "9,300", "12", "0.4": per-second rates as people read them.
std::string Rate(double per_second) {
  if (per_second < 10) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", per_second);
    return text;
  }
  std::string digits = Number(per_second);
  for (auto i = static_cast<long>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

std::string Percent(double share) { return Number(100 * share) + " %"; }

// The rate the finding is about: its port's, or for the TIME_WAIT table
// (no port) the port this host closes most connections on.
std::optional<ChurnRate> RateOf(const Finding& f, const Snapshot& s) {
  if (const auto port = f.port()) return s.ChurnRateOf(f.direction, *port);
  std::optional<ChurnRate> busiest;
  for (const ChurnRate& r : s.ChurnRates()) {
    if (r.port && (!busiest || r.closes[0] > busiest->closes[0])) busiest = r;
  }
  return busiest;
}

std::string OnPort(const ChurnRate& r) {
  return (r.direction == Direction::kInbound ? " on port " : " toward port ") +
         PortLabel(r.port);
}

}  // namespace

void CiteChurn(Finding& f, const Snapshot& s) {
  const auto rate = RateOf(f, s);
  if (!rate) return;
  f.churn = rate;
  const ChurnRate& r = *rate;
  std::string cited;
  switch (f.kind) {
    case FindingKind::kAcceptQueue:
    case FindingKind::kSynRecv:
      cited = Rate(r.opens) + " connections opened/s" + OnPort(r);
      break;
    case FindingKind::kSynSent:
      cited = Rate(r.failed_connects) + " failed connects/s" + OnPort(r) +
              ", " + Rate(r.opens) + " succeeded/s";
      if (r.resets[static_cast<std::size_t>(Side::kThere)] > 0) {
        cited += ", " + Rate(r.resets[static_cast<std::size_t>(Side::kThere)]) +
                 " resets received/s";
      }
      break;
    case FindingKind::kCloseWait:
      if (r.Closes() <= 0) return;
      cited = Rate(r.Closes()) + " closes/s" + OnPort(r) + ", " +
              Percent(r.closes[static_cast<std::size_t>(Closer::kThere)] /
                      r.Closes()) +
              " closed by the peer first";
      break;
    default:
      if (r.Closes() <= 0) return;
      cited = Rate(r.Closes()) + " closes/s" + OnPort(r) + ", " +
              Percent(r.ClosedHereShare()) + " closed here first";
      break;
  }
  f.why += " (churn: " + cited + ")";
}

}  // namespace tcpstated
