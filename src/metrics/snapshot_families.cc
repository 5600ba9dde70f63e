#include "snapshot_families.h"

#include <string>

#include "churn_families.h"
#include "kernel_families.h"
#include "metric_builders.h"
#include "owner_families.h"
#include "stall_families.h"

namespace tcpstated {
namespace {

using prometheus::MetricFamily;

// Counts: per family and state (exact), per classified port.
void AddSocketFamilies(const Snapshot& s, std::vector<MetricFamily>& out) {
  auto sockets = NewFamily("tcpstate_sockets",
                           "TCP sockets by address family and state, exact.");
  for (Family family : kAllFamilies) {
    AddStateGauges(sockets, {{"family", std::string(FamilyName(family))}},
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
                    {"port", PortLabel(row.port)}},
                   row.states);
  }
  out.push_back(std::move(ports));
}

void AddListenQueueFamilies(const Snapshot& s, std::vector<MetricFamily>& out) {
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
  for (Direction d : kAllDirections) {
    AddGauge(folded, {{"direction", std::string(DirectionName(d))}},
             static_cast<double>(s.ports_folded[static_cast<std::size_t>(d)]));
  }
  out.push_back(std::move(folded));
}

// What the daemon judges: findings and CLOSE_WAIT ages.
void AddFindingFamilies(const Snapshot& s, std::vector<MetricFamily>& out) {
  auto finding = NewFamily(
      "tcpstate_finding",
      "1 while the daemon reports a finding of this kind on this port (the "
      "listening port inbound, the remote port outbound; address: the "
      "destination of one toward a single peer); the same findings, in the "
      "same words, as `tcpstated report` and the log. Kinds: accept_queue, "
      "port_exhaustion, time_wait_table, syn_sent, syn_recv, close_wait, "
      "time_wait, fin_wait1, fin_wait2, last_ack, closing, unread, "
      "peer_not_reading, unacknowledged.");
  for (const Finding& f : s.findings) {
    Labels labels = {
        {"direction", std::string(DirectionName(f.direction))},
        {"kind", std::string(FindingKindName(f.kind))},
        {"port", f.ports.empty() ? std::string() : std::to_string(f.ports[0])}};
    if (f.destination) labels.push_back({"address", f.destination->Text()});
    AddGauge(finding, std::move(labels), 1);
  }
  out.push_back(std::move(finding));

  auto oldest = NewFamily(
      "tcpstate_close_wait_oldest_seconds",
      "Age of the oldest CLOSE_WAIT socket of the port, counted from the "
      "first collection that saw it (low by up to one interval).");
  auto old = NewFamily("tcpstate_close_wait_old_sockets",
                       "CLOSE_WAIT sockets of the port older than "
                       "leak.close-wait-age.");
  for (const CloseWaitAge& a : s.close_wait_ages) {
    Labels labels = {{"direction", std::string(DirectionName(a.direction))},
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
}

// Ephemeral ports toward each destination, and the settings behind it all.
void AddPressureFamilies(const Snapshot& s, std::vector<MetricFamily>& out) {
  AddSingle(out, "tcpstate_ephemeral_port_pressure_ratio",
            "Client sockets toward the busiest remote address and port, as a "
            "share of the ephemeral port range; connect() fails with "
            "EADDRNOTAVAIL at 1.",
            s.EphemeralPortPressure());
  auto endpoints = NewFamily("tcpstate_remote_endpoint_sockets",
                             "Client sockets toward the busiest remote "
                             "endpoints (top 10), each holding an ephemeral "
                             "port, by state (all, time_wait, syn_sent).");
  for (const RemoteEndpoint& e : s.remote_endpoints) {
    const std::pair<const char*, std::uint64_t> states[] = {
        {"all", e.sockets},
        {"time_wait", e.time_wait},
        {"syn_sent", e.syn_sent}};
    for (const auto& [state, n] : states) {
      AddGauge(endpoints,
               {{"address", e.AddressText()},
                {"port", std::to_string(e.port)},
                {"state", state}},
               static_cast<double>(n));
    }
  }
  out.push_back(std::move(endpoints));

  auto sysctl = NewFamily("tcpstate_sysctl",
                          "Kernel settings that govern TCP states, from "
                          "/proc/sys/net of the watched namespace.");
  for (const SysctlValue& v : s.sysctls)
    AddGauge(sysctl, {{"name", v.name}}, v.value);
  out.push_back(std::move(sysctl));
}

}  // namespace

void AddSnapshotFamilies(const Snapshot& s, std::vector<MetricFamily>& out) {
  AddSocketFamilies(s, out);
  AddListenQueueFamilies(s, out);
  AddFindingFamilies(s, out);
  AddStallFamilies(s, out);
  AddPressureFamilies(s, out);
  AddKernelFamilies(s.kernel, out);
  AddOwnerFamilies(s.owners, out);
  // Last: only snapshots with churn have these, and families of several
  // namespaces merge by position.
  AddChurnFamilies(s, out);
}

}  // namespace tcpstated
