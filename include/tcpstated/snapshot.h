#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcpstated/cgroup_owners.h"
#include "tcpstated/close_wait_tracker.h"
#include "tcpstated/dump_stats.h"
#include "tcpstated/network_namespaces.h"
#include "tcpstated/pileup.h"
#include "tcpstated/port_classifier.h"
#include "tcpstated/remote_endpoints.h"
#include "tcpstated/socket_holders.h"
#include "tcpstated/socket_record.h"
#include "tcpstated/system_config.h"
#include "tcpstated/tcp_state.h"

namespace tcpstated {

// Sockets of one classified port, or of every port folded by the cap.
struct PortRow {
  Direction direction = Direction::kInbound;
  std::optional<std::uint16_t> port;  // nullopt: the "other" row
  StateCounts states{};
};

// Accept queue of a listening port, summed over every listener on it
// (SO_REUSEPORT groups, IPv4 and IPv6).
struct ListenQueue {
  std::uint16_t port = 0;
  std::uint64_t length = 0;
  std::uint64_t limit = 0;
};

// One collection's result. Immutable once published: readers share it
// through shared_ptr<const Snapshot>.
struct Snapshot {
  std::chrono::system_clock::time_point taken_at;
  std::chrono::duration<double> collect_duration{0};
  std::array<StateCounts, kFamilyCount> families{};
  // Busiest first within each direction; a direction's "other" row, when
  // present, comes last.
  std::vector<PortRow> ports;
  std::vector<ListenQueue> listen_queues;  // ordered by port
  std::array<std::uint64_t, kDirectionCount> ports_folded{};
  PortRange ephemeral_range;
  PortSet listening;  // every port with a listener in this dump
  // Destinations holding the most ephemeral ports, busiest first; sockets
  // toward destinations the counter had no room for.
  std::vector<RemoteEndpoint> remote_endpoints;
  std::uint64_t remote_endpoints_overflow = 0;

  // The busiest destination's share of the ephemeral port range.
  double EphemeralPortPressure() const;
  // Pileups flagged as of this snapshot (set by the daemon's detector).
  std::vector<Pileup> pileups;
  // CLOSE_WAIT ages per port, and sockets over the tracking cap (set by the
  // daemon's tracker; empty in a one-shot report).
  std::vector<CloseWaitAge> close_wait_ages;
  std::uint64_t close_wait_untracked = 0;
  // Full sockets by the unit (or cgroup) that owns them; empty when the
  // collection was not asked to attribute (replayed dumps).
  Attribution owners;
  // How the walk of /proc that traced pileups to processes went (set when
  // one ran; see FindPileupProcesses).
  std::optional<ProcessScanStats> process_scan;
  // Which namespace this is, when every namespace is watched (its label
  // then goes on every series).
  std::optional<NetworkNamespace> netns;
  // The namespace's TCP sysctls at collection time (daemon only).
  std::vector<SysctlValue> sysctls;
  DumpStats dump;
  // 2 when a listener showed up in the dump after sockets on its port had
  // been classified, and the dump was repeated with the listeners known.
  int classification_passes = 1;

  StateCounts Totals() const;
};

}  // namespace tcpstated
