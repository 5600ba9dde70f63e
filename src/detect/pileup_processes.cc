#include "tcpstated/detect/pileup_processes.h"

#include <new>

#include "tcpstated/count/port_classifier.h"
#include "tcpstated/diag/kernel_states.h"

namespace tcpstated {
namespace {

// Collects the inodes of the sockets each pileup is traced through, as
// groups first_group, first_group + 1, ... of `inodes`.
class InodeSink final : public RecordSink {
 public:
  InodeSink(const Snapshot& snapshot, const std::vector<Pileup>& pileups,
            std::size_t first_group, InodeGroups& inodes)
      : snapshot_(snapshot),
        pileups_(pileups),
        first_group_(first_group),
        inodes_(inodes) {}

  void OnRecord(const SocketRecord& r) noexcept override {
    if (r.inode == 0) return;
    const bool listener = r.state == TcpState::kListen;
    const bool close_wait = r.state == TcpState::kCloseWait;
    if (!listener && !close_wait) return;
    const PortClass cls =
        ClassifyPorts(r.local_port, r.remote_port, snapshot_.listening,
                      snapshot_.ephemeral_range);
    std::uint64_t groups = 0;
    for (std::size_t i = 0;
         i < pileups_.size() && first_group_ + i < kMaxHolderGroups; ++i) {
      const Pileup& p = pileups_[i];
      if (!CanTraceToProcesses(p)) continue;
      const bool by_socket = close_wait && p.state == TcpState::kCloseWait &&
                             cls == PortClass{p.direction, *p.port};
      const bool by_listener = listener && p.state != TcpState::kCloseWait &&
                               r.local_port == *p.port;
      if (by_socket || by_listener)
        groups |= std::uint64_t{1} << (first_group_ + i);
    }
    if (groups == 0) return;
    try {  // nothing may leave a RecordSink
      inodes_[r.inode] |= groups;
    } catch (const std::bad_alloc&) {
    }
  }

 private:
  const Snapshot& snapshot_;
  const std::vector<Pileup>& pileups_;
  std::size_t first_group_;
  InodeGroups& inodes_;
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
    states |= p.state == TcpState::kCloseWait
                  ? KernelStateBits(TcpState::kCloseWait)
                  : KernelStateBits(TcpState::kListen);
  }
  return states;
}

void PileupTracer::Add(DumpSource& dump, const Snapshot& snapshot,
                       std::vector<Pileup>& pileups) {
  // Into a table of its own first: a dump that fails half-way must leave
  // nothing under group numbers the next Add will reuse.
  InodeGroups found;
  InodeSink sink(snapshot, pileups, groups_.size(), found);
  dump.Dump(sink);
  for (const auto& [inode, groups] : found) inodes_[inode] |= groups;
  for (Pileup& p : pileups) {
    if (groups_.size() < kMaxHolderGroups) groups_.push_back(&p);
  }
}

ProcessScanStats PileupTracer::Resolve(const std::string& proc_root,
                                       const ProcessScanLimits& limits) {
  SocketHolders holders =
      FindSocketHolders(inodes_, groups_.size(), proc_root, limits);
  for (std::size_t i = 0; i < holders.groups.size(); ++i) {
    groups_[i]->processes = std::move(holders.groups[i]);
  }
  return holders.stats;
}

ProcessScanStats FindPileupProcesses(DumpSource& dump, const Snapshot& snapshot,
                                     std::vector<Pileup>& pileups,
                                     const std::string& proc_root,
                                     const ProcessScanLimits& limits) {
  PileupTracer tracer;
  tracer.Add(dump, snapshot, pileups);
  return tracer.Resolve(proc_root, limits);
}

}  // namespace tcpstated
