#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/count/collector.h"
#include "tcpstated/detect/pileup_detector.h"
#include "tcpstated/detect/pileup_processes.h"
#include "tcpstated/diag/dump_source.h"
#include "tcpstated/diag/raw_dump_writer.h"
#include "tcpstated/diag/sock_diag_source.h"
#include "tcpstated/host/cgroup_owners.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// How a namespace's sockets are counted: what `report` and `run` are both
// told (--ports.max, --units.max, the local port range). The one place
// their defaults are written.
struct CountSettings {
  std::size_t max_ports = 200;
  std::size_t max_units = 50;
  // Where container runtimes keep the state that names containers.
  RuntimeStateDirs runtime_dirs;
  // --netns all: the busiest namespaces kept; the rest summed.
  std::size_t max_netns = 200;
  // nullopt: net.ipv4.ip_local_port_range of the namespace (the kernel's
  // default range on replay).
  std::optional<PortRange> ephemeral_range;
  // Folded ports this busy are still judged for pileups (the smallest
  // min-sockets of the rules in force).
  std::uint64_t pileup_min_sockets =
      PileupRules::Defaults().SmallestMinSockets();
};

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
  // `owners` (if given) and read the namespace's sysctls. Throws
  // CollectError.
  Snapshot Take(const CountSettings& settings,
                const PortSet* known_listeners = nullptr,
                CloseWaitObserver* close_wait = nullptr,
                const OwnerLookup* owners = nullptr);

  // A pileup raises "which process?": a targeted dump of the namespace for
  // the inodes of `pileups`' sockets or listeners, added to `tracer`, whose
  // one walk of /proc/*/fd comes later. False when none can be traced.
  // Throws CollectError.
  bool AddToTrace(PileupTracer& tracer, const Snapshot& snapshot,
                  std::vector<Pileup>& pileups) const;

 private:
  bool live_;
  std::unique_ptr<DumpSource> source_;
};

}  // namespace tcpstated
