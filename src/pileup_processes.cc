#include "tcpstated/pileup_processes.h"

#include <new>

namespace tcpstated {
namespace {

constexpr std::uint32_t KernelBit(TcpState state) {
  return 1u << (Index(state) + 1);  // TCP_ESTABLISHED is 1
}

// Collects the inodes of the sockets each pileup is traced through.
class InodeSink final : public RecordSink {
 public:
  InodeSink(const Snapshot& snapshot, const std::vector<Pileup>& pileups)
      : snapshot_(snapshot), pileups_(pileups) {}

  void OnRecord(const SocketRecord& r) noexcept override {
    if (r.inode == 0) return;
    std::uint32_t groups = 0;
    const bool listener = r.state == TcpState::kListen;
    const bool close_wait = r.state == TcpState::kCloseWait;
    if (!listener && !close_wait) return;
    const PortClass cls =
        ClassifyPorts(r.local_port, r.remote_port, snapshot_.listening,
                      snapshot_.ephemeral_range);
    for (std::size_t i = 0; i < pileups_.size() && i < kMaxHolderGroups; ++i) {
      const Pileup& p = pileups_[i];
      if (!CanTraceToProcesses(p)) continue;
      const bool by_socket = close_wait && p.state == TcpState::kCloseWait &&
                             cls == PortClass{p.direction, *p.port};
      const bool by_listener = listener && p.state != TcpState::kCloseWait &&
                               r.local_port == *p.port;
      if (by_socket || by_listener) groups |= 1u << i;
    }
    if (groups == 0) return;
    try {  // nothing may leave a RecordSink
      inodes_[r.inode] |= groups;
    } catch (const std::bad_alloc&) {
    }
  }

  const InodeGroups& inodes() const { return inodes_; }

 private:
  const Snapshot& snapshot_;
  const std::vector<Pileup>& pileups_;
  InodeGroups inodes_;
};

}  // namespace

bool CanTraceToProcesses(const Pileup& p) {
  return p.port && (p.state == TcpState::kCloseWait ||
                    p.direction == Direction::kInbound);
}

std::uint32_t KernelStatesToTrace(const std::vector<Pileup>& pileups) {
  std::uint32_t states = 0;
  for (const Pileup& p : pileups) {
    if (!CanTraceToProcesses(p)) continue;
    states |= p.state == TcpState::kCloseWait ? KernelBit(TcpState::kCloseWait)
                                              : KernelBit(TcpState::kListen);
  }
  return states;
}

ProcessScanStats FindPileupProcesses(DumpSource& dump, const Snapshot& snapshot,
                                     std::vector<Pileup>& pileups,
                                     const std::string& proc_root,
                                     const ProcessScanLimits& limits) {
  InodeSink sink(snapshot, pileups);
  dump.Dump(sink);
  SocketHolders holders =
      FindSocketHolders(sink.inodes(), pileups.size(), proc_root, limits);
  for (std::size_t i = 0; i < holders.groups.size(); ++i) {
    pileups[i].processes = std::move(holders.groups[i]);
  }
  return holders.stats;
}

}  // namespace tcpstated
