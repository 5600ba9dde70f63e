#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "tcpstated/model/collect_error.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// One namespace's outcome in a sweep: a new snapshot, or why its
// collection failed.
struct NamespaceResult {
  NetworkNamespace netns;
  std::shared_ptr<const Snapshot> snapshot;  // null when it failed
  std::optional<CollectErrorReason> error;
  std::string message;  // the failure, for the report
};

// Network namespaces by inode.
using NetnsInodes = std::unordered_set<std::uint64_t>;

// One collection of every network namespace of the host (see HostSweep).
struct Sweep {
  std::vector<NamespaceResult> results;
  std::chrono::duration<double> duration{0};
  std::uint64_t vanished = 0;  // gone before they were entered
  std::uint64_t denied = 0;    // setns() refused: no CAP_SYS_ADMIN
  std::uint64_t empty = 0;     // no TCP socket: one sockstat read, no dump
  std::uint64_t folded = 0;    // see FoldQuietNamespaces
};

// Keeps the `max_namespaces` busiest collected namespaces of `sweep` (by
// sockets) and replaces the rest by one result labelled netns="other"
// whose socket counts are their sum, as ports.max does for ports: a host
// with a thousand containers exports a bounded number of series. Failed
// namespaces are kept (their last snapshot is shown, marked stale).
void FoldQuietNamespaces(Sweep& sweep, std::size_t max_namespaces);

// The snapshot labelled netns="other", empty: namespaces summed into it
// with SumNamespaceInto keep only their sockets per family and state, and
// their churn as one port="other" row per direction (so that totals stay
// exact for any number of them).
std::shared_ptr<Snapshot> NewOtherNamespace();
void SumNamespaceInto(Snapshot& other, const Snapshot& folded);

}  // namespace tcpstated
