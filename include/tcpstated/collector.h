#pragma once

#include "tcpstated/aggregator.h"
#include "tcpstated/cgroup_owners.h"
#include "tcpstated/dump_source.h"
#include "tcpstated/snapshot.h"

namespace tcpstated {

// One collection: dump, aggregate, and build a Snapshot. Repeats the dump
// once if a listener appeared after sockets on its port were classified
// (see Aggregator). `known_listeners` (e.g. the previous collection's)
// makes that repetition rarer still. `close_wait` sees every CLOSE_WAIT
// socket. With `cgroup_paths`, full sockets are attributed to the units
// owning them (Snapshot::owners). Throws CollectError.
Snapshot Collect(DumpSource& source, const AggregatorOptions& options,
                 const PortSet* known_listeners = nullptr,
                 CloseWaitObserver* close_wait = nullptr,
                 CgroupPaths* cgroup_paths = nullptr);

}  // namespace tcpstated
