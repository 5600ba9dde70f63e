#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "tcpstated/collect/sweep.h"
#include "tcpstated/events/churn_events.h"
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

// A reading of the event source, and when it was taken.
struct TimedChurnReading {
  ChurnReading reading;
  std::chrono::steady_clock::time_point at;
};

// Reads `events` now.
TimedChurnReading ReadChurnNow(ChurnEvents& events);

// The churn of the interval from `start` to `end` on the snapshot taken at
// its end (before its findings are judged: they cite the rates).
void AttachChurnRates(Snapshot& snapshot, const TimedChurnReading& start,
                      const TimedChurnReading& end,
                      const ChurnSettings& settings);

// The namespaces `reading` counts churn in: a sweep collects them even
// without a TCP socket (refused connects leave none behind).
NetnsInodes NamespacesWithChurn(const ChurnReading& reading);

// Tells `events` which ports of the calling thread's namespace listen (a
// dump of the listeners only), so that connections opened before the
// program loaded close in the right direction. Throws CollectError.
void NoteCurrentListeners(ChurnEvents& events);

}  // namespace tcpstated
