#include "tcpstated/count/collector.h"

#include <optional>

#include "aggregator.h"

namespace tcpstated {

Collection Collect(DumpSource& source, const CountSettings& settings,
                   const PortSet* known_listeners,
                   CloseWaitObserver* close_wait) {
  Collection collection;
  Snapshot& snapshot = collection.snapshot;
  snapshot.taken_at = std::chrono::system_clock::now();
  const auto started = std::chrono::steady_clock::now();

  std::optional<Aggregator> aggregator(std::in_place, settings, known_listeners,
                                       close_wait);
  snapshot.dump = source.Dump(*aggregator);
  if (aggregator->MissedListener()) {
    // Rare: only when the kernel's walk met a socket before the listener of
    // its port (per-family dumps, or a listener opened mid-dump).
    const PortSet listeners = aggregator->Listening();
    aggregator.reset();  // one set of tables at a time
    aggregator.emplace(settings, &listeners, close_wait);
    if (close_wait != nullptr) close_wait->OnDumpRestart();
    snapshot.dump = source.Dump(*aggregator);
    snapshot.classification_passes = 2;
  }
  aggregator->Fill(snapshot);
  collection.cgroups = aggregator->Cgroups();
  snapshot.collect_duration = std::chrono::steady_clock::now() - started;
  return collection;
}

}  // namespace tcpstated
