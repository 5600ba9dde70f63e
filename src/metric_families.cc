#include "metric_families.h"

#include <iterator>
#include <string>

#include "tcpstated/version.h"

namespace tcpstated {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily NewFamily(const char* name, const char* help,
                       MetricType type = MetricType::Gauge) {
  MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  return family;
}

void AddGauge(MetricFamily& family, std::vector<ClientMetric::Label> labels,
              double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
}

void AddCounter(MetricFamily& family, std::vector<ClientMetric::Label> labels,
                double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.counter.value = value;
  family.metric.push_back(std::move(metric));
}

// A family of one unlabelled sample.
void AddSingle(std::vector<MetricFamily>& out, const char* name,
               const char* help, double value,
               MetricType type = MetricType::Gauge) {
  auto family = NewFamily(name, help, type);
  if (type == MetricType::Counter) {
    AddCounter(family, {}, value);
  } else {
    AddGauge(family, {}, value);
  }
  out.push_back(std::move(family));
}

// One gauge per state, labelled `labels` and the state; states with no
// sockets only when `with_zeros`.
void AddStateGauges(MetricFamily& family,
                    const std::vector<ClientMetric::Label>& labels,
                    const StateCounts& states, bool with_zeros = false) {
  for (TcpState state : kAllTcpStates) {
    const std::uint64_t n = states[Index(state)];
    if (n == 0 && !with_zeros) continue;
    auto with_state = labels;
    with_state.push_back({"state", std::string(StateName(state))});
    AddGauge(family, std::move(with_state), static_cast<double>(n));
  }
}

std::string PortLabel(const PortRow& row) {
  return row.port ? std::to_string(*row.port) : "other";
}

// Who owns the sockets. Only full sockets have an owner (TIME_WAIT, request
// and orphan sockets carry no cgroup), and only a port's listeners and
// CLOSE_WAIT sockets are broken down per port: the two questions a pileup
// raises.
void AddOwnerFamilies(const Attribution& a, std::vector<MetricFamily>& out) {
  auto units = NewFamily(
      "tcpstate_unit_sockets",
      "Full TCP sockets (not TIME_WAIT, SYN_RECV or orphaned ones, which "
      "have no owner) by the systemd unit of the program that created them, "
      "or its cgroup path outside units; units beyond units.max are summed "
      "as unit=\"other\". States with no sockets are omitted.");
  for (const OwnerSockets& o : a.owners) {
    AddStateGauges(units, {{"unit", o.owner}}, o.states);
  }
  out.push_back(std::move(units));

  auto by_port = NewFamily(
      "tcpstate_port_unit_sockets",
      "Listening and CLOSE_WAIT sockets of a classified port by owning unit "
      "(top 100 CLOSE_WAIT rows): who to look at for a pileup on the port.");
  const auto add = [&](const PortOwner& row, TcpState state) {
    AddGauge(by_port,
             {{"direction", std::string(DirectionName(row.port.direction))},
              {"port", std::to_string(row.port.port)},
              {"state", std::string(StateName(state))},
              {"unit", row.owner}},
             static_cast<double>(row.sockets));
  };
  for (const PortOwner& row : a.listeners) add(row, TcpState::kListen);
  for (std::size_t i = 0; i < a.close_waits.size() && i < 100; ++i) {
    add(a.close_waits[i], TcpState::kCloseWait);
  }
  out.push_back(std::move(by_port));

  AddSingle(out, "tcpstate_units_folded",
            "Units beyond units.max, summed into unit=\"other\".",
            static_cast<double>(a.owners_folded));
  AddSingle(out, "tcpstate_unit_unattributed_sockets",
            "Full sockets counted in tcpstate_sockets but not attributed to an "
            "owner, because the per-collection table of cgroups (or of "
            "port-and-cgroup pairs) was full.",
            static_cast<double>(a.unattributed));
}

void AddSnapshotFamilies(const Snapshot& s,
                         std::chrono::system_clock::time_point now,
                         std::vector<MetricFamily>& out) {
  auto sockets = NewFamily("tcpstate_sockets",
                           "TCP sockets by address family and state, exact.");
  for (Family family : {Family::kIpv4, Family::kIpv6}) {
    const char* name = family == Family::kIpv4 ? "ipv4" : "ipv6";
    AddStateGauges(sockets, {{"family", name}},
                   s.families[static_cast<std::size_t>(family)],
                   /*with_zeros=*/true);
  }
  out.push_back(std::move(sockets));

  auto ports = NewFamily(
      "tcpstate_port_sockets",
      "TCP sockets by classified port and state: inbound by listening port, "
      "outbound by remote port; ports beyond the cap are summed as "
      "port=\"other\". States with no sockets are omitted.");
  for (const PortRow& row : s.ports) {
    AddStateGauges(ports,
                   {{"direction", std::string(DirectionName(row.direction))},
                    {"port", PortLabel(row)}},
                   row.states);
  }
  out.push_back(std::move(ports));

  auto length =
      NewFamily("tcpstate_listen_queue_length",
                "Connections waiting in the accept queue, summed over "
                "the listeners on the port.");
  auto limit = NewFamily("tcpstate_listen_queue_limit",
                         "Accept queue limit (listen backlog), summed over the "
                         "listeners on the port.");
  for (const ListenQueue& q : s.listen_queues) {
    AddGauge(length, {{"port", std::to_string(q.port)}},
             static_cast<double>(q.length));
    AddGauge(limit, {{"port", std::to_string(q.port)}},
             static_cast<double>(q.limit));
  }
  out.push_back(std::move(length));
  out.push_back(std::move(limit));

  auto folded = NewFamily("tcpstate_ports_folded",
                          "Ports beyond the per-direction cap, summed into "
                          "port=\"other\".");
  for (Direction d : {Direction::kInbound, Direction::kOutbound}) {
    AddGauge(folded, {{"direction", std::string(DirectionName(d))}},
             static_cast<double>(s.ports_folded[static_cast<std::size_t>(d)]));
  }
  out.push_back(std::move(folded));

  auto pileup = NewFamily(
      "tcpstate_pileup",
      "1 while the daemon flags a pileup of sockets of this state on this "
      "port (thresholds: pileup.* settings).");
  for (const Pileup& p : s.pileups) {
    AddGauge(pileup,
             {{"direction", std::string(DirectionName(p.direction))},
              {"port", p.port ? std::to_string(*p.port) : "other"},
              {"state", std::string(StateName(p.state))}},
             1);
  }
  out.push_back(std::move(pileup));

  auto oldest = NewFamily(
      "tcpstate_close_wait_oldest_seconds",
      "Age of the oldest CLOSE_WAIT socket of the port, counted from the "
      "first collection that saw it (low by up to one interval).");
  auto old = NewFamily("tcpstate_close_wait_old_sockets",
                       "CLOSE_WAIT sockets of the port older than "
                       "leak.close-wait-age.");
  for (const CloseWaitAge& a : s.close_wait_ages) {
    std::vector<ClientMetric::Label> labels = {
        {"direction", std::string(DirectionName(a.direction))},
        {"port", std::to_string(a.port)}};
    AddGauge(oldest, labels, a.oldest_seconds);
    AddGauge(old, labels, static_cast<double>(a.old_sockets));
  }
  out.push_back(std::move(oldest));
  out.push_back(std::move(old));
  AddSingle(out, "tcpstate_close_wait_untracked",
            "CLOSE_WAIT sockets beyond leak.max-tracked, "
            "counted but not followed.",
            static_cast<double>(s.close_wait_untracked));

  AddSingle(out, "tcpstate_ephemeral_port_pressure_ratio",
            "Client sockets toward the busiest remote address and port, as a "
            "share of the ephemeral port range; connect() fails with "
            "EADDRNOTAVAIL at 1.",
            s.EphemeralPortPressure());
  auto endpoints = NewFamily("tcpstate_remote_endpoint_sockets",
                             "Client sockets toward the busiest remote "
                             "endpoints (top 10), each holding an ephemeral "
                             "port.");
  for (const RemoteEndpoint& e : s.remote_endpoints) {
    AddGauge(endpoints,
             {{"address", e.AddressText()}, {"port", std::to_string(e.port)}},
             static_cast<double>(e.sockets));
  }
  out.push_back(std::move(endpoints));

  auto sysctl = NewFamily("tcpstate_sysctl",
                          "Kernel settings that govern TCP states, from "
                          "/proc/sys/net of the watched namespace.");
  for (const SysctlValue& v : s.sysctls)
    AddGauge(sysctl, {{"name", v.name}}, v.value);
  out.push_back(std::move(sysctl));

  AddOwnerFamilies(s.owners, out);

  AddSingle(out, "tcpstate_snapshot_age_seconds",
            "Seconds since the published snapshot was taken.",
            std::chrono::duration<double>(now - s.taken_at).count());
}

// Every namespace's series in one set of families, each series labelled
// with its namespace: the families come in the same order from every
// snapshot, so they merge by position.
void AddNamespacedFamilies(
    const std::vector<std::shared_ptr<const Snapshot>>& snapshots,
    std::chrono::system_clock::time_point now, std::vector<MetricFamily>& out) {
  auto info = NewFamily(
      "tcpstate_netns_info",
      "Always 1, one series per watched network namespace: its netns label "
      "(name under /run/netns, else the namespace inode) and what runs in it "
      "(\"host\", or the unit or cgroup of its first process).");
  const std::size_t first = out.size();
  for (const auto& snapshot : snapshots) {
    if (!snapshot->netns) continue;  // not from a sweep: cannot be labelled
    std::vector<MetricFamily> part;
    AddSnapshotFamilies(*snapshot, now, part);
    const std::string label = snapshot->netns->Label();
    AddGauge(info,
             {{"container", snapshot->netns->container}, {"netns", label}}, 1);
    for (std::size_t i = 0; i < part.size(); ++i) {
      for (ClientMetric& metric : part[i].metric) {
        metric.label.insert(metric.label.begin(), {"netns", label});
      }
      if (out.size() == first + i) {
        out.push_back(std::move(part[i]));
      } else {
        auto& merged = out[first + i].metric;
        std::move(part[i].metric.begin(), part[i].metric.end(),
                  std::back_inserter(merged));
      }
    }
  }
  out.push_back(std::move(info));
}

void AddNamespaceSkips(const CollectionHealth& health,
                       std::vector<MetricFamily>& out) {
  auto skipped = NewFamily(
      "tcpstate_netns_skipped_total",
      "Network namespaces listed but not collected: vanished (gone before "
      "they were entered) or denied (setns refused: no CAP_SYS_ADMIN).",
      MetricType::Counter);
  AddCounter(skipped, {{"reason", "denied"}},
             static_cast<double>(health.namespaces_denied));
  AddCounter(skipped, {{"reason", "vanished"}},
             static_cast<double>(health.namespaces_vanished));
  out.push_back(std::move(skipped));
}

}  // namespace

std::vector<MetricFamily> BuildMetricFamilies(
    const std::vector<std::shared_ptr<const Snapshot>>& snapshots,
    const CollectionHealth& health, std::chrono::system_clock::time_point now) {
  std::vector<MetricFamily> out;
  if (health.all_namespaces) {
    AddNamespacedFamilies(snapshots, now, out);
    AddNamespaceSkips(health, out);
  } else {
    for (const auto& snapshot : snapshots) {
      AddSnapshotFamilies(*snapshot, now, out);
    }
  }

  AddSingle(out, "tcpstate_collect_success",
            "1 if the last collection succeeded, 0 if it failed "
            "(the previous snapshot stays published).",
            health.last_succeeded ? 1 : 0);

  AddSingle(out, "tcpstate_collect_duration_seconds",
            "Wall time of the last collection.", health.last_duration.count());

  AddSingle(out, "tcpstate_collections_total",
            "Collections attempted since the daemon started.",
            static_cast<double>(health.attempts), MetricType::Counter);

  auto errors = NewFamily("tcpstate_collect_errors_total",
                          "Failed collections by reason.", MetricType::Counter);
  for (CollectErrorReason reason : kAllCollectErrorReasons) {
    AddCounter(errors, {{"reason", std::string(ReasonName(reason))}},
               static_cast<double>(
                   health.errors_by_reason[static_cast<std::size_t>(reason)]));
  }
  out.push_back(std::move(errors));

  auto build =
      NewFamily("tcpstate_build_info",
                "Always 1; the version label says which tcpstated runs.");
  AddGauge(build, {{"version", kVersion}}, 1);
  out.push_back(std::move(build));
  return out;
}

std::vector<MetricFamily> SnapshotCollectable::Collect() const {
  return BuildMetricFamilies(store_.LatestAll(), store_.Health(),
                             std::chrono::system_clock::now());
}

}  // namespace tcpstated
