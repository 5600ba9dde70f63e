#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "tcpstated/model/churn.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// How a snapshot carries the event source's counts.
struct ChurnSettings {
  std::size_t max_ports = 200;     // ports.max
  std::size_t lifetime_ports = 5;  // events.lifetime-ports
};

// The namespace a snapshot is of, as the kernel program keys it: its
// label's inode under a sweep, else the calling thread's namespace.
std::optional<std::uint64_t> ChurnNamespaceOf(const Snapshot& snapshot);

// Puts the rows of the snapshot's namespace from `reading` on it (when
// the program is loaded).
void AttachChurn(Snapshot& snapshot, const ChurnReading& reading,
                 const ChurnSettings& settings);

}  // namespace tcpstated
