#include "owner_families.h"

#include <string>
#include <utility>

namespace tcpstated {
namespace {

using prometheus::MetricFamily;

// Who owns the sockets. Only full sockets have an owner (TIME_WAIT, request
// and orphan sockets carry no cgroup), and only a port's listeners and
// CLOSE_WAIT sockets are broken down per port: the two questions a pileup
// raises.
}  // namespace

Labels ContainerLabels(const ContainerIdentity& c) {
  Labels labels;
  const std::pair<const char*, const std::string*> fields[] = {
      {"runtime", &c.runtime},
      {"container_id", &c.id},
      {"k8s_namespace", &c.pod_namespace},
      {"k8s_pod", &c.pod},
      // A pod's container, else a Docker or Podman container's own name.
      {c.pod.empty() ? "container_name" : "k8s_container", &c.container},
      {"image", &c.image}};
  for (const auto& [name, value] : fields) {
    if (!value->empty()) labels.push_back({name, *value});
  }
  return labels;
}

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

  auto info = NewFamily(
      "tcpstate_owner_info",
      "Always 1, one series per owner in tcpstate_unit_sockets that is a "
      "container: its runtime and id, and from the runtime's state files "
      "its image and, for a Kubernetes pod's container, k8s_namespace, "
      "k8s_pod and k8s_container, else its container_name (Docker, "
      "Podman), so that unit=\"k8s:...\" can be joined to the workload.");
  for (const OwnerSockets& o : a.owners) {
    if (o.container.empty()) continue;
    Labels labels{{"unit", o.owner}};
    for (auto& label : ContainerLabels(o.container)) labels.push_back(label);
    AddGauge(info, std::move(labels), 1);
  }
  out.push_back(std::move(info));

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

}  // namespace tcpstated
