#pragma once

#include <cstddef>

#include "tcpstated/count/cgroup_counts.h"
#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/diag/dump_source.h"
#include "tcpstated/model/ports.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

struct AggregatorOptions {
  PortRange ephemeral_range;
  // Busiest ports kept per direction; the rest are summed into "other".
  std::size_t max_ports_per_direction = 200;
  // Busiest remote endpoints (address, port) kept for port pressure.
  std::size_t top_remote_endpoints = 10;
  // Owners (units or cgroups) kept in the attribution; the rest are summed
  // into "other".
  std::size_t max_owners = 50;
  // A folded port with at least this many sockets of one state, or
  // stalled of one kind, is kept in Snapshot::folded_candidates (the
  // smallest min-sockets of the pileup rules); at most max_candidates.
  std::uint64_t candidate_min_sockets = 20;
  std::size_t max_candidates = 1000;
};

// A collection's counts, and its per-cgroup counts for the host stage to
// name (see Attribute).
struct Collection {
  Snapshot snapshot;
  CgroupCounts cgroups;
};

// One collection: dump, aggregate, and build a Snapshot. Repeats the dump
// once if a listener appeared after sockets on its port were classified
// (see Aggregator). `known_listeners` (e.g. the previous collection's)
// makes that repetition rarer still. `close_wait` sees every CLOSE_WAIT
// socket. Throws CollectError.
Collection Collect(DumpSource& source, const AggregatorOptions& options,
                   const PortSet* known_listeners = nullptr,
                   CloseWaitObserver* close_wait = nullptr);

}  // namespace tcpstated
