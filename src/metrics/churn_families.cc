#include "churn_families.h"

#include <limits>
#include <string>

#include "metric_builders.h"

namespace tcpstated {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

Labels PortLabels(const ChurnRow& row) {
  return {{"direction", std::string(DirectionName(row.direction))},
          {"port", PortLabel(row.port)}};
}

Labels With(Labels labels, const char* name, std::string_view value) {
  labels.push_back({name, std::string(value)});
  return labels;
}

double D(std::uint64_t n) { return static_cast<double>(n); }

void AddLifetimes(MetricFamily& family, const ChurnRow& row) {
  ClientMetric metric;
  for (auto& label : PortLabels(row)) metric.label.push_back(label);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kLifetimeBuckets; ++i) {
    cumulative += row.counts.lifetimes[i];
    const double bound = i < kLifetimeBounds.size()
                             ? kLifetimeBounds[i]
                             : std::numeric_limits<double>::infinity();
    metric.histogram.bucket.push_back({cumulative, bound});
  }
  metric.histogram.sample_count = cumulative;
  metric.histogram.sample_sum = row.counts.lifetime_seconds;
  family.metric.push_back(std::move(metric));
}

}  // namespace

void AddChurnFamilies(const Snapshot& s, std::vector<MetricFamily>& out) {
  if (!s.churn_enabled) return;
  auto opens = NewFamily(
      "tcpstate_port_opens_total",
      "Connections that reached ESTABLISHED since the event source started "
      "(collect.events = bpf): inbound (passive open) by listening port, "
      "outbound (active open) by remote port; ports beyond ports.max are "
      "summed as port=\"other\".",
      MetricType::Counter);
  auto closes = NewFamily(
      "tcpstate_port_closes_total",
      "Connections that left ESTABLISHED, by who ended them: closer=\"here\" "
      "(this host sent the first FIN and holds TIME_WAIT), \"there\" (the "
      "peer did: CLOSE_WAIT here until the application closes) or "
      "\"reset\".",
      MetricType::Counter);
  auto failed = NewFamily(
      "tcpstate_port_failed_connects_total",
      "Connects that ended without reaching ESTABLISHED (SYN_SENT to CLOSE: "
      "refused, timed out or aborted), by remote port.",
      MetricType::Counter);
  auto resets =
      NewFamily("tcpstate_port_resets_total",
                "RST segments on the port's connections, by=\"here\" (sent) or "
                "\"there\" (received).",
                MetricType::Counter);
  auto retransmits = NewFamily(
      "tcpstate_port_retransmits_total",
      "Retransmitted segments of the port's connections: segment=\"data\", "
      "or \"syn\" (a SYN, or a listener's SYN-ACK).",
      MetricType::Counter);
  auto lifetimes = NewFamily(
      "tcpstate_port_connection_duration_seconds",
      "How long connections stayed open, ESTABLISHED to the first FIN or "
      "reset, for the busiest ports of each direction "
      "(events.lifetime-ports).",
      MetricType::Histogram);
  for (const ChurnRow& row : s.churn) {
    const Labels labels = PortLabels(row);
    const ChurnCounts& c = row.counts;
    AddCounter(opens, labels, D(c.opens));
    for (Closer closer : kAllClosers) {
      AddCounter(closes, With(labels, "closer", CloserName(closer)),
                 D(c.Closes(closer)));
    }
    if (row.direction == Direction::kOutbound) {
      AddCounter(failed, labels, D(c.failed_connects));
    }
    for (Side side : kAllSides) {
      AddCounter(resets, With(labels, "by", SideName(side)),
                 D(c.resets[static_cast<std::size_t>(side)]));
    }
    for (Segment segment : kAllSegments) {
      AddCounter(retransmits, With(labels, "segment", SegmentName(segment)),
                 D(c.retransmits[static_cast<std::size_t>(segment)]));
    }
    if (row.with_lifetimes) AddLifetimes(lifetimes, row);
  }
  out.push_back(std::move(opens));
  out.push_back(std::move(closes));
  out.push_back(std::move(failed));
  out.push_back(std::move(resets));
  out.push_back(std::move(retransmits));
  out.push_back(std::move(lifetimes));
}

void AddEventSourceFamilies(const CollectionHealth& health,
                            std::vector<MetricFamily>& out) {
  auto enabled = NewFamily(
      "tcpstate_events_enabled",
      "1 while the event source (collect.events = bpf) counts churn; 0 with "
      "the reason it does not: off (not asked for), no_btf (the kernel has "
      "no BTF), permission (no CAP_BPF and CAP_PERFMON), unsupported (the "
      "kernel refused the program; the log says why).");
  AddGauge(enabled, {{"reason", health.events.reason}},
           health.events.enabled ? 1 : 0);
  out.push_back(std::move(enabled));
  if (!health.events.enabled) return;
  auto lost = NewFamily(
      "tcpstate_events_lost_total",
      "Events the event source saw but could not count in full: map_full "
      "(a new port found its kernel map full), untracked_close (with "
      "events.lifetime-ports, a close counted without its lifetime: the "
      "connection opened before the program), unplaced (a reset or "
      "retransmit no port owns, such as a RST to a closed port, or one "
      "lost to a full map).",
      MetricType::Counter);
  const ChurnLosses& l = health.event_losses;
  AddCounter(lost, {{"reason", "map_full"}}, D(l.map_full));
  AddCounter(lost, {{"reason", "unplaced"}}, D(l.unplaced));
  AddCounter(lost, {{"reason", "untracked_close"}}, D(l.untracked_closes));
  out.push_back(std::move(lost));
}

}  // namespace tcpstated
