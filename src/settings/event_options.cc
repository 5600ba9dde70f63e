// The event source's settings: whether the eBPF program counts churn, and
// how much of it is exported.
#include "option_builders.h"

namespace tcpstated {

void AddEventOptions(std::vector<OptionSpec>& all) {
  all.push_back(Setting(
      "collect.events", ValueKind::kChoice, Scope::kBoth,
      "Connection churn per port from the kernel's own state changes: "
      "\"bpf\" loads an eBPF program (needs CAP_BPF and CAP_PERFMON, and a "
      "kernel with BTF; without them, one log line and "
      "tcpstate_events_enabled 0); the report shows rates with --interval. "
      "Read at start only",
      [](Config & c) -> auto& { return c.events; }, 0, 0, {"off", "bpf"}));
  all.push_back(Setting(
      "events.lifetime-ports", ValueKind::kCount, Scope::kBoth,
      "Busiest ports per direction whose connection lifetime histogram is "
      "exported (11 series each); 0: lifetimes are not measured, which "
      "spares the kernel an allocation of socket-local storage per "
      "connection (about 200 ns per event more; docs/performance.md)",
      [](Config & c) -> auto& { return c.lifetime_ports; }, 0, 100));
}

}  // namespace tcpstated
