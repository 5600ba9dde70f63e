#include "tcpstated/collect/namespace_collector.h"

#include "tcpstated/diag/replay_source.h"
#include "tcpstated/host/kernel_counters.h"
#include "tcpstated/host/sysctls.h"

namespace tcpstated {

NamespaceCollector::NamespaceCollector(const SourceSettings& source)
    : live_(source.replay_dump.empty()) {
  if (live_) {
    source_ = std::make_unique<SockDiagSource>(
        SockDiagOptions{.request = source.request}, source.recorder);
  } else {
    source_ = std::make_unique<ReplaySource>(source.replay_dump);
  }
}

Snapshot NamespaceCollector::Take(const CountSettings& settings,
                                  const PortSet* known_listeners,
                                  CloseWaitObserver* close_wait,
                                  const OwnerLookup* owners) {
  CountSettings resolved = settings;
  if (!resolved.ephemeral_range && live_) {
    resolved.ephemeral_range = ReadLocalPortRange();
  }
  Collection collection =
      Collect(*source_, resolved, known_listeners, close_wait);
  Snapshot& snapshot = collection.snapshot;
  if (live_) {
    if (owners != nullptr) {
      snapshot.owners =
          Attribute(collection.cgroups, *owners, settings.max_owners);
    }
    snapshot.sysctls = ReadTcpSysctls();
    snapshot.kernel = ReadKernelCounters();
  }
  return std::move(snapshot);
}

bool NamespaceCollector::AddToTrace(PileupTracer& tracer,
                                    const Snapshot& snapshot,
                                    std::vector<Pileup>& pileups) const {
  const std::uint32_t states = KernelStatesToTrace(pileups);
  if (!live_ || states == 0) return false;
  SockDiagSource trace_dump({.kernel_states = states});
  tracer.Add(trace_dump, snapshot, pileups);
  return true;
}

}  // namespace tcpstated
