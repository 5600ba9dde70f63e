#include "tcpstated/count/close_wait_probe.h"

#include <new>

#include "close_wait_age_table.h"
#include "tcpstated/count/port_classifier.h"

namespace tcpstated {
namespace {

class AgeSink final : public RecordSink {
 public:
  AgeSink(const Snapshot& snapshot, std::chrono::seconds old_after)
      : snapshot_(snapshot), table_(old_after) {}

  void OnRecord(const SocketRecord& r) noexcept override {
    if (r.state != TcpState::kCloseWait || !r.has_tcp_info) return;
    const PortClass cls =
        ClassifyPorts(r.local_port, r.remote_port, snapshot_.listening,
                      snapshot_.ephemeral_range);
    // A std::map insert may throw; nothing may leave a RecordSink.
    try {
      table_.Add(cls, r.last_ack_recv_ms / 1000.0);
    } catch (const std::bad_alloc&) {
    }
  }

  std::vector<CloseWaitAge> Ages() const { return table_.OldestFirst(); }

 private:
  const Snapshot& snapshot_;
  CloseWaitAgeTable table_;
};

}  // namespace

std::vector<CloseWaitAge> ProbeCloseWaitAges(DumpSource& close_wait_dump,
                                             const Snapshot& snapshot,
                                             std::chrono::seconds old_after) {
  AgeSink sink(snapshot, old_after);
  close_wait_dump.Dump(sink);
  return sink.Ages();
}

}  // namespace tcpstated
