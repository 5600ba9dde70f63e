#pragma once

#include "tcpstated/count/cgroup_counts.h"
#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/count/count_settings.h"
#include "tcpstated/diag/dump_source.h"
#include "tcpstated/model/ports.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

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
Collection Collect(DumpSource& source, const CountSettings& settings,
                   const PortSet* known_listeners = nullptr,
                   CloseWaitObserver* close_wait = nullptr);

}  // namespace tcpstated
