#include "tcpstated/host/pileup_tracer.h"

#include <new>
#include <unordered_set>

#include "tcpstated/count/port_classifier.h"
#include "tcpstated/count/stall_rules.h"
#include "tcpstated/diag/kernel_states.h"

namespace tcpstated {
namespace {

// States whose sockets have a file in their program (unless orphaned): a
// pileup of them is traced through its own sockets.
bool HeldByProgram(TcpState state) {
  return state == TcpState::kCloseWait || state == TcpState::kSynSent ||
         state == TcpState::kFinWait2;
}

// Collects the inodes of the sockets each pileup is traced through, as
// groups first_group, first_group + 1, ... of `inodes`, and the cgroups
// that made them.
class InodeSink final : public RecordSink {
 public:
  InodeSink(const Snapshot& snapshot, const std::vector<Pileup>& pileups,
            std::size_t first_group, InodeGroups& inodes,
            std::unordered_set<std::uint64_t>& cgroups)
      : snapshot_(snapshot),
        pileups_(pileups),
        first_group_(first_group),
        inodes_(inodes),
        cgroups_(cgroups) {}

  void OnRecord(const SocketRecord& r) noexcept override {
    if (r.inode == 0) return;  // orphaned: no file, no holder
    const bool listener = r.state == TcpState::kListen;
    const bool connected =
        r.state == TcpState::kCloseWait || r.state == TcpState::kEstablished;
    if (!listener && !connected && !HeldByProgram(r.state)) return;
    const PortClass cls =
        ClassifyPorts(r.local_port, r.remote_port, snapshot_.listening,
                      snapshot_.ephemeral_range);
    std::uint64_t groups = 0;
    for (std::size_t i = 0;
         i < pileups_.size() && first_group_ + i < kMaxHolderGroups; ++i) {
      const Pileup& p = pileups_[i];
      if (!CanTraceToProcesses(p)) continue;
      const bool on_port = cls == PortClass{p.direction, *p.port};
      // Stalled sockets and those of HeldByProgram states are held by
      // their program; other pileups (request sockets, TIME_WAIT) by the
      // listener's.
      const bool by_stall = p.stall && on_port && IsStalled(r, *p.stall);
      const bool by_socket =
          !p.stall && HeldByProgram(p.state) && r.state == p.state && on_port;
      const bool by_listener = !p.stall && listener &&
                               !HeldByProgram(p.state) &&
                               r.local_port == *p.port;
      if (by_stall || by_socket || by_listener)
        groups |= std::uint64_t{1} << (first_group_ + i);
    }
    if (groups == 0) return;
    try {  // nothing may leave a RecordSink
      inodes_[r.inode] |= groups;
      if (r.cgroup_id == 0) {
        unknown_cgroup_ = true;
      } else {
        cgroups_.insert(r.cgroup_id);
      }
    } catch (const std::bad_alloc&) {
      unknown_cgroup_ = true;
    }
  }

 private:
  const Snapshot& snapshot_;
  const std::vector<Pileup>& pileups_;
  std::size_t first_group_;
  InodeGroups& inodes_;
  std::unordered_set<std::uint64_t>& cgroups_;
  bool unknown_cgroup_ = false;

 public:
  // A traced socket without a cgroup id (none in the dump, or no memory
  // to note it).
  bool unknown_cgroup() const { return unknown_cgroup_; }
};

}  // namespace

bool CanTraceToProcesses(const Pileup& p) {
  return p.port && (p.stall || HeldByProgram(p.state) ||
                    p.direction == Direction::kInbound);
}

std::uint32_t KernelStatesToTrace(const std::vector<Pileup>& pileups) {
  std::uint32_t states = 0;
  for (const Pileup& p : pileups) {
    if (!CanTraceToProcesses(p)) continue;
    if (p.stall) {
      states |= KernelStateBits(TcpState::kEstablished) |
                KernelStateBits(TcpState::kCloseWait);
    } else {
      states |= HeldByProgram(p.state) ? KernelStateBits(p.state)
                                       : KernelStateBits(TcpState::kListen);
    }
  }
  return states;
}

void PileupTracer::Add(DumpSource& dump, const Snapshot& snapshot,
                       std::vector<Pileup>& pileups) {
  // Into a table of its own first: a dump that fails half-way must leave
  // nothing under group numbers the next Add will reuse.
  InodeGroups found;
  std::unordered_set<std::uint64_t> cgroups;
  InodeSink sink(snapshot, pileups, groups_.size(), found, cgroups);
  dump.Dump(sink);
  for (const auto& [inode, groups] : found) inodes_[inode] |= groups;
  for (Pileup& p : pileups) {
    if (groups_.size() < kMaxHolderGroups) groups_.push_back(&p);
  }
  // Where the holders are likely to be: the cgroups that made the traced
  // sockets. An unknown one widens the walk to every process from the
  // start.
  if (sink.unknown_cgroup()) unscoped_ = true;
  scope_ids_.insert(cgroups.begin(), cgroups.end());
}

ProcessScanStats PileupTracer::Resolve(const std::string& proc_root,
                                       const ProcessScanLimits& limits) {
  std::optional<CgroupScope> scope;
  if (!unscoped_ && !scope_ids_.empty() && !cgroup_mount_.empty()) {
    scope = CgroupScope{cgroup_mount_, scope_ids_};
  }
  SocketHolders holders = FindSocketHolders(inodes_, groups_.size(), proc_root,
                                            limits, scope ? &*scope : nullptr);
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
