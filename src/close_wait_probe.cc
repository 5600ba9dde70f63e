#include "tcpstated/close_wait_probe.h"

#include <algorithm>
#include <map>

namespace tcpstated {
namespace {

class AgeSink final : public RecordSink {
 public:
  AgeSink(const Snapshot& snapshot, std::chrono::seconds old_after)
      : snapshot_(snapshot), old_after_(old_after) {}

  void OnRecord(const SocketRecord& r) noexcept override {
    if (r.state != TcpState::kCloseWait || !r.has_tcp_info) return;
    const PortClass cls =
        ClassifyPorts(r.local_port, r.remote_port, snapshot_.listening,
                      snapshot_.ephemeral_range);
    auto& age = by_port_[{cls.direction, cls.port}];
    age.direction = cls.direction;
    age.port = cls.port;
    ++age.sockets;
    const double seconds = r.last_ack_recv_ms / 1000.0;
    age.oldest_seconds = std::max(age.oldest_seconds, seconds);
    if (seconds >= static_cast<double>(old_after_.count())) ++age.old_sockets;
  }

  std::vector<CloseWaitAge> Ages() const {
    std::vector<CloseWaitAge> ages;
    for (const auto& [key, age] : by_port_) ages.push_back(age);
    std::stable_sort(ages.begin(), ages.end(),
                     [](const CloseWaitAge& a, const CloseWaitAge& b) {
                       return a.oldest_seconds > b.oldest_seconds;
                     });
    return ages;
  }

 private:
  const Snapshot& snapshot_;
  std::chrono::seconds old_after_;
  std::map<std::pair<Direction, std::uint16_t>, CloseWaitAge> by_port_;
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
