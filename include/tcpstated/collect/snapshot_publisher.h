#pragma once

#include <chrono>
#include <memory>

#include "tcpstated/collect/sweep.h"
#include "tcpstated/model/churn.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Where the collection loop hands its results: the snapshot store the
// scrapes read (metrics/), or a test's recorder. Called from the
// collection thread.
class SnapshotPublisher {
 public:
  virtual ~SnapshotPublisher() = default;
  // One namespace's collection.
  virtual void Publish(std::shared_ptr<const Snapshot> snapshot) = 0;
  // Every namespace's (`collect.netns = all`).
  virtual void PublishSweep(const Sweep& sweep) = 0;
  virtual void RecordFailure(CollectErrorReason reason,
                             std::chrono::duration<double> duration) = 0;
  virtual bool HasSnapshot() const = 0;
  // The event source's state as of this collection (collect.events = bpf).
  virtual void RecordEvents(const EventsStatus& status,
                            const ChurnLosses& losses) = 0;
};

}  // namespace tcpstated
