#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "tcpstated/model/ports.h"

namespace tcpstated {

// How a dump is counted: what `run` and `report` are both told
// (ports.max, units.max, collect.local-port-range). The one place these
// defaults are written.
struct CountSettings {
  // Busiest ports kept per direction; the rest are summed into "other".
  std::size_t max_ports = 200;
  // Owners (units, containers or cgroups) kept in the attribution; the
  // rest are summed into "other".
  std::size_t max_owners = 50;
  // Busiest remote endpoints (address, port) kept for port pressure.
  std::size_t top_remote_endpoints = 10;
  // A folded port with at least this many sockets of one state, or
  // stalled of one kind, is kept in Snapshot::folded_candidates so that
  // findings are judged on it (the smallest threshold of the rules in
  // force); at most max_candidates.
  std::uint64_t candidate_min_sockets = 20;
  std::size_t max_candidates = 1000;
  // The ephemeral port range that tells client ports from service ports;
  // nullopt: net.ipv4.ip_local_port_range of the namespace collected (the
  // kernel's default range when a recorded dump is replayed).
  std::optional<PortRange> ephemeral_range;
};

}  // namespace tcpstated
