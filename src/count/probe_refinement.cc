#include "tcpstated/count/probe_refinement.h"

#include <algorithm>
#include <map>
#include <new>
#include <utility>

#include "tcpstated/count/port_classifier.h"
#include "tcpstated/count/stall_rules.h"

namespace tcpstated {
namespace {

using PortKey = std::pair<Direction, std::uint16_t>;

struct Moved {
  std::uint64_t sockets = 0;
  std::uint64_t bytes = 0;
};

// Counts, per classified port, the probing sockets whose window is open.
class NotSentSink final : public RecordSink {
 public:
  explicit NotSentSink(const Snapshot& snapshot) : snapshot_(snapshot) {}
  void OnRecord(const SocketRecord& r) noexcept override {
    if (!IsStalled(r, StallKind::kNotSent)) return;
    const PortClass cls =
        ClassifyPorts(r.local_port, r.remote_port, snapshot_.listening,
                      snapshot_.ephemeral_range);
    try {  // nothing may leave a RecordSink
      Moved& moved = by_port[{cls.direction, cls.port}];
      ++moved.sockets;
      moved.bytes += r.wqueue;
    } catch (const std::bad_alloc&) {
    }
  }
  std::map<PortKey, Moved> by_port;

 private:
  const Snapshot& snapshot_;
};

// Moves at most what the row counted as zero-window: the sockets may have
// changed between the two dumps.
void Move(StallCounts& stalls, const Moved& moved) {
  const auto zero = static_cast<std::size_t>(StallKind::kZeroWindow);
  const auto not_sent = static_cast<std::size_t>(StallKind::kNotSent);
  const std::uint64_t n = std::min(moved.sockets, stalls.sockets[zero]);
  const std::uint64_t bytes = std::min(moved.bytes, stalls.bytes[zero]);
  stalls.sockets[zero] -= n;
  stalls.bytes[zero] -= bytes;
  stalls.sockets[not_sent] += n;
  stalls.bytes[not_sent] += bytes;
}

}  // namespace

bool HasProbingStalls(const Snapshot& snapshot, std::uint64_t min_sockets) {
  for (const auto* rows : {&snapshot.ports, &snapshot.folded_candidates}) {
    for (const PortRow& row : *rows) {
      if (row.port &&
          row.stalls.Sockets(StallKind::kZeroWindow) >= min_sockets) {
        return true;
      }
    }
  }
  return false;
}

void SplitProbingStalls(DumpSource& info_dump, Snapshot& snapshot) {
  NotSentSink sink(snapshot);
  info_dump.Dump(sink);
  std::map<Direction, Moved> folded;  // ports summed in "other"
  for (const auto& [key, moved] : sink.by_port) {
    bool kept = false;
    for (PortRow& row : snapshot.ports) {
      if (row.port == key.second && row.direction == key.first) {
        Move(row.stalls, moved);
        kept = true;
      }
    }
    for (PortRow& row : snapshot.folded_candidates) {
      if (row.port == key.second && row.direction == key.first) {
        Move(row.stalls, moved);
      }
    }
    if (!kept) {
      folded[key.first].sockets += moved.sockets;
      folded[key.first].bytes += moved.bytes;
    }
  }
  for (PortRow& row : snapshot.ports) {
    if (!row.port && folded.contains(row.direction)) {
      Move(row.stalls, folded[row.direction]);
    }
  }
}

}  // namespace tcpstated
