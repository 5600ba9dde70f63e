#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/count/collector.h"
#include "tcpstated/count/count_settings.h"
#include "tcpstated/diag/dump_source.h"
#include "tcpstated/diag/raw_dump_writer.h"
#include "tcpstated/diag/sock_diag_source.h"
#include "tcpstated/host/cgroup_owners.h"
#include "tcpstated/host/finding_tracer.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Where the sockets come from.
struct SourceSettings {
  std::string replay_dump;  // empty: the kernel
  DiagRequest request = DiagRequest::kLegacyOneWalk;
  RawDumpWriter* recorder = nullptr;  // live only
};

// Collects the calling thread's network namespace, for the one-shot report
// and, collection after collection, for the daemon. Keeps its dump source,
// so that what the source learnt (a kernel that refuses the legacy request)
// holds for later collections.
class NamespaceCollector {
 public:
  explicit NamespaceCollector(const SourceSettings& source);
  // With a source of the caller's (tests); `live` as for live().
  NamespaceCollector(std::unique_ptr<DumpSource> source, bool live)
      : live_(live), source_(std::move(source)) {}

  // From the kernel, as opposed to a recording (whose cgroup ids and
  // settings belong to the host it was made on).
  bool live() const { return live_; }

  // Dump and count; live, also name the owners of full sockets through
  // `owners` (if given), read the namespace's sysctls and counters, and
  // tell which end of probing connections is stuck (a tcp_info dump of
  // them, only when a port has settings.candidate_min_sockets of them).
  // Throws CollectError.
  Snapshot Take(const CountSettings& settings,
                const PortSet* known_listeners = nullptr,
                CloseWaitObserver* close_wait = nullptr,
                const OwnerLookup* owners = nullptr);

  // A finding raises "which process?": a targeted dump of the namespace
  // for the sockets of `findings` (or their listeners), added to `tracer`,
  // whose one walk of /proc/*/fd comes later. False when none can be
  // traced (nothing to trace, or a replayed dump). Throws CollectError.
  bool AddToTrace(FindingTracer& tracer, const Snapshot& snapshot,
                  const std::vector<Finding*>& findings) const;

 private:
  bool live_;
  std::unique_ptr<DumpSource> source_;
};

}  // namespace tcpstated
