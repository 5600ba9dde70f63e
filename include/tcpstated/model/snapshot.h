#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpstated/model/churn.h"
#include "tcpstated/model/dump_stats.h"
#include "tcpstated/model/family.h"
#include "tcpstated/model/finding.h"
#include "tcpstated/model/kernel_counters.h"
#include "tcpstated/model/owners.h"
#include "tcpstated/model/ports.h"
#include "tcpstated/model/stalls.h"
#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

// Sockets of one classified port, or of every port folded by the cap.
struct PortRow {
  Direction direction = Direction::kInbound;
  std::optional<std::uint16_t> port;  // nullopt: the "other" row
  StateCounts states{};
  StallCounts stalls;
};

// Accept queue of a listening port, summed over every listener on it
// (SO_REUSEPORT groups, IPv4 and IPv6).
struct ListenQueue {
  std::uint16_t port = 0;
  std::uint64_t length = 0;
  std::uint64_t limit = 0;
};

// A destination this host connects to, and how many of its ephemeral ports
// sockets toward it occupy.
struct RemoteEndpoint {
  Family family = Family::kIpv4;
  std::array<std::uint8_t, 16> address{};  // network byte order
  std::uint16_t port = 0;
  std::uint64_t sockets = 0;
  std::uint64_t time_wait = 0;  // of those, in TIME_WAIT
  std::uint64_t syn_sent = 0;   // of those, in SYN_SENT

  std::string AddressText() const;  // "10.0.0.5" or "2001:db8::1"
};

// CLOSE_WAIT sockets of one classified port, by age.
struct CloseWaitAge {
  Direction direction = Direction::kInbound;
  std::uint16_t port = 0;
  std::uint64_t sockets = 0;
  double oldest_seconds = 0;
  std::uint64_t old_sockets = 0;  // older than the leak age
};

// A kernel setting that governs TCP states, as exported in tcpstate_sysctl.
struct SysctlValue {
  std::string name;  // e.g. "tcp_fin_timeout", "ip_local_port_range_low"
  double value = 0;
};

// A network namespace of the host, as `lsns -t net` would list it.
struct NetworkNamespace {
  std::uint64_t inode = 0;  // of its nsfs file: the namespace's identity
  std::string name;         // under /run/netns; "" for an unnamed one
  std::string path;         // what to open to enter it
  // What runs in it, cheaply: "host" for the namespace of PID 1, else the
  // owner of its first process's cgroup, named like a socket's owner
  // ("k8s:shop/api-7d9f/api", "docker:web", "nginx.service"); display ""
  // for a named namespace no process is in.
  OwnerName owner;

  // The metric label: the name when it has one, else the inode.
  std::string Label() const {
    return name.empty() ? std::to_string(inode) : name;
  }
};

// One collection's result. Immutable once published: readers share it
// through shared_ptr<const Snapshot>. A plain value: it depends on nothing
// that fills it. Its fields come in the order of the stages that fill
// them.
struct Snapshot {
  // count/: the dump, counted.
  std::chrono::system_clock::time_point taken_at;
  std::chrono::duration<double> collect_duration{0};
  std::array<StateCounts, kFamilyCount> families{};
  // Busiest first within each direction; a direction's "other" row, when
  // present, comes last.
  std::vector<PortRow> ports;
  // Ports the cap folded into "other" that may still be findings (as many
  // sockets of a state, or stalled, as the smallest rule asks for):
  // findings are judged on real ports, never on "other". Busiest first,
  // bounded (CountSettings::max_candidates).
  std::vector<PortRow> folded_candidates;
  std::vector<ListenQueue> listen_queues;  // ordered by port
  std::array<std::uint64_t, kDirectionCount> ports_folded{};
  PortRange ephemeral_range;
  PortSet listening;  // every port with a listener in this dump
  // Destinations holding the most ephemeral ports, busiest first; sockets
  // toward destinations the counter had no room for.
  std::vector<RemoteEndpoint> remote_endpoints;
  std::uint64_t remote_endpoints_overflow = 0;
  DumpStats dump;
  // 2 when a listener showed up in the dump after sockets on its port had
  // been classified, and the dump was repeated with the listeners known.
  int classification_passes = 1;

  // host/: what the host says beyond the dump (live collections only).
  // Full sockets by the unit (or container, or cgroup) that owns them.
  Attribution owners;
  // Which namespace this is, when every namespace is watched (its label
  // then goes on every series).
  std::optional<NetworkNamespace> netns;
  // The namespace's TCP sysctls and the kernel's TCP counters.
  std::vector<SysctlValue> sysctls;
  KernelCounters kernel{};
  // A reading of the same counters `kernel_interval` before `kernel` (the
  // previous collection, or the report's --interval): rates.
  std::optional<KernelCounters> kernel_before;
  std::chrono::duration<double> kernel_interval{0};

  // events/: connection churn per port, counted by the kernel program
  // since it was loaded (collect.events = bpf): the busiest ports per
  // direction and "other", busiest first; and the same rows
  // `churn_interval` before (the previous collection, or the report's
  // --interval): rates.
  bool churn_enabled = false;
  std::vector<ChurnRow> churn;
  std::optional<std::vector<ChurnRow>> churn_before;
  std::chrono::duration<double> churn_interval{0};

  // collect/: what only history tells. CLOSE_WAIT ages per port, and
  // sockets over the tracking cap (the daemon's tracker, or the report's
  // tcp_info probe).
  std::vector<CloseWaitAge> close_wait_ages;
  std::uint64_t close_wait_untracked = 0;

  // detect/: the findings as of this snapshot, most severe first, with
  // what tracing them to processes found (Finding::evidence).
  std::vector<Finding> findings;

  StateCounts Totals() const;
  // A sysctl by name ("tcp_tw_reuse"); nullopt when it was not read.
  std::optional<double> Sysctl(std::string_view name) const;
  // The busiest destination's share of the ephemeral port range.
  double EphemeralPortPressure() const;
  // A kernel counter's rate per second between the two readings; nullopt
  // without a reading before, or when the counter went back (a new
  // namespace with the same inode, a wrap).
  std::optional<double> Rate(KernelCounter counter) const;
  // Churn per second per port between the two readings, busiest first;
  // empty without a reading before.
  std::vector<ChurnRate> ChurnRates() const;
  std::optional<ChurnRate> ChurnRateOf(Direction direction,
                                       std::uint16_t port) const;
};

}  // namespace tcpstated
