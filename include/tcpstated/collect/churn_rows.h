#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

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

// The event source's reading at the start of the report's interval.
struct ChurnStart {
  ChurnReading reading;
  std::chrono::steady_clock::time_point at;
};

// The churn of the interval that began at `start`, from `now`, on the
// snapshot taken at its end (before its findings are judged: they cite
// the rates).
void AttachChurnRates(Snapshot& snapshot, const ChurnReading& now,
                      const ChurnStart& start, const ChurnSettings& settings);

// Tells `events` which ports of the calling thread's namespace listen (a
// dump of the listeners only), so that connections opened before the
// program loaded close in the right direction. Throws CollectError.
void NoteCurrentListeners(ChurnEvents& events);

}  // namespace tcpstated
