#include "tcpstated/collect/namespace_collector.h"

#include "tcpstated/count/probe_refinement.h"
#include "tcpstated/diag/kernel_states.h"
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
    if (HasProbingStalls(snapshot, settings.candidate_min_sockets)) {
      SockDiagSource info_dump(
          {.kernel_states = KernelStateBits(TcpState::kEstablished) |
                            KernelStateBits(TcpState::kCloseWait),
           .tcp_info = true});
      SplitProbingStalls(info_dump, snapshot);
    }
  }
  return std::move(snapshot);
}

bool NamespaceCollector::AddToTrace(
    FindingTracer& tracer, const Snapshot& snapshot,
    const std::vector<Finding*>& findings) const {
  const std::uint32_t states = KernelStatesToTrace(findings);
  if (!live_ || states == 0) return false;
  SockDiagSource trace_dump({.kernel_states = states});
  tracer.Add(trace_dump, snapshot, findings);
  return true;
}

}  // namespace tcpstated
