#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "tcpstated/collect/snapshot_publisher.h"
#include "tcpstated/collect/sweep.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// How collections have gone since the daemon started.
struct CollectionHealth {
  std::uint64_t attempts = 0;
  bool last_succeeded = false;
  std::chrono::duration<double> last_duration{0};
  std::array<std::uint64_t, kAllCollectErrorReasons.size()> errors_by_reason{};
  // Watching every network namespace: namespaces listed but skipped since
  // the start, because they vanished first or could not be entered.
  bool all_namespaces = false;
  std::uint64_t namespaces_vanished = 0;
  std::uint64_t namespaces_denied = 0;
  // Of the last sweep: namespaces with no TCP socket (not dumped, not
  // exported one by one) and namespaces beyond netns.max (summed as
  // netns="other").
  std::uint64_t namespaces_empty = 0;
  std::uint64_t namespaces_folded = 0;
  // Of the exposition: series left out to stay within collect.max-series
  // (set when the view is rendered, see FitSeriesBudget).
  std::uint64_t series_folded = 0;
  // The event source (collect.events = bpf): loaded or why not, and what
  // it could not count.
  EventsStatus events;
  ChurnLosses event_losses;
};

// A published snapshot. `stale`: its namespace's last collection failed,
// and this is the one before (its age keeps growing).
struct PublishedSnapshot {
  std::shared_ptr<const Snapshot> snapshot;
  bool stale = false;
};

// Everything a scrape shows, taken together under one lock: snapshots and
// health always belong to the same moment. `generation` changes with every
// publication or failure, so that what is rendered from a view can be
// shared until it does.
struct StoreView {
  std::vector<PublishedSnapshot> snapshots;
  CollectionHealth health;
  std::uint64_t generation = 0;
  std::size_t max_series = 0;  // collect.max-series; 0: no budget
};

// The hand-over point between the collection thread and scrapes. A failed
// collection leaves the previous snapshots published; under a sweep, a
// namespace that failed keeps its previous snapshot, marked stale, while
// the others are replaced.
class SnapshotStore final : public SnapshotPublisher {
 public:
  // One namespace's collection.
  void Publish(std::shared_ptr<const Snapshot> snapshot) override;
  // Every namespace's (`--netns all`). Namespaces not in the sweep (gone)
  // are dropped.
  void PublishSweep(const Sweep& sweep) override;
  void RecordFailure(CollectErrorReason reason,
                     std::chrono::duration<double> duration) override;
  void RecordEvents(const EventsStatus& status,
                    const ChurnLosses& losses) override;

  // The series budget of every exposition rendered from now on.
  void SetSeriesLimit(std::size_t max_series);

  StoreView View() const;
  std::uint64_t Generation() const;
  bool HasSnapshot() const override;

 private:
  mutable std::mutex mutex_;
  std::vector<PublishedSnapshot> latest_;
  CollectionHealth health_;
  std::uint64_t generation_ = 0;
  std::size_t max_series_ = 0;
};

}  // namespace tcpstated
