#include "tcpstated/host/finding_tracer.h"

#include <algorithm>
#include <map>
#include <new>

#include "tcpstated/count/port_classifier.h"
#include "tcpstated/count/stall_rules.h"
#include "tcpstated/diag/kernel_states.h"

namespace tcpstated {
namespace {

// The state of a pileup kind's sockets (kTimeWait for kTimeWait, ...).
std::optional<TcpState> StateOfKind(FindingKind kind) {
  for (TcpState state : kAllTcpStates) {
    if (PileupKindOf(state) == kind) return state;
  }
  return std::nullopt;
}

bool ServedByListener(FindingKind kind) {
  switch (kind) {
    case FindingKind::kAcceptQueue:
    case FindingKind::kSynRecv:
    case FindingKind::kTimeWait:
    case FindingKind::kTimeWaitTable:
    case FindingKind::kFinWait1:
    case FindingKind::kLastAck:
    case FindingKind::kClosing:
      return true;
    default:
      return false;
  }
}

bool OnPorts(const Finding& f, PortClass cls) {
  return cls.direction == f.direction &&
         std::find(f.ports.begin(), f.ports.end(), cls.port) != f.ports.end();
}

// Whether `r` is one of the finding's own sockets.
bool IsOwnSocket(const Finding& f, const SocketRecord& r, PortClass cls) {
  switch (f.kind) {
    case FindingKind::kPortExhaustion:
      return f.destination && r.remote_port == f.ports.front() &&
             r.remote_address == f.destination->address &&
             r.family == f.destination->family;
    case FindingKind::kUnread:
      return OnPorts(f, cls) && IsStalled(r, StallKind::kUnread);
    case FindingKind::kPeerNotReading:
      return OnPorts(f, cls) && (IsStalled(r, StallKind::kZeroWindow) ||
                                 IsStalled(r, StallKind::kNotSent));
    case FindingKind::kUnacknowledged:
      return OnPorts(f, cls) && (IsStalled(r, StallKind::kRetransmitting) ||
                                 r.timer == KernelTimer::kProbe);
    default: {
      const auto state = StateOfKind(f.kind);
      return state && r.state == *state && OnPorts(f, cls);
    }
  }
}

// Counts one finding's sockets as the trace dump shows them.
struct Tally {
  Finding* finding;
  std::map<std::pair<Family, std::array<std::uint8_t, 16>>, std::uint64_t>
      destinations;
};

class TraceSink final : public RecordSink {
 public:
  TraceSink(const Snapshot& snapshot, std::vector<Tally>& tallies,
            std::size_t first_group, InodeGroups& inodes,
            std::unordered_set<std::uint64_t>& cgroups)
      : snapshot_(snapshot),
        tallies_(tallies),
        first_group_(first_group),
        inodes_(inodes),
        cgroups_(cgroups) {}

  void OnRecord(const SocketRecord& r) noexcept override {
    const PortClass cls =
        ClassifyPorts(r.local_port, r.remote_port, snapshot_.listening,
                      snapshot_.ephemeral_range);
    std::uint64_t groups = 0;
    try {  // nothing may leave a RecordSink
      for (std::size_t i = 0; i < tallies_.size(); ++i) {
        if (first_group_ + i >= kMaxHolderGroups) break;
        Finding& f = *tallies_[i].finding;
        const bool own = IsOwnSocket(f, r, cls);
        if (own) Count(tallies_[i], r);
        const bool holder = ServedByListener(f.kind)
                                ? r.state == TcpState::kListen &&
                                      f.direction == Direction::kInbound &&
                                      std::find(f.ports.begin(), f.ports.end(),
                                                r.local_port) != f.ports.end()
                                : own;
        if (holder && r.inode != 0) {
          groups |= std::uint64_t{1} << (first_group_ + i);
        }
      }
      if (groups == 0) return;
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

  // A traced socket without a cgroup id (none in the dump, or no memory to
  // note it).
  bool unknown_cgroup() const { return unknown_cgroup_; }

 private:
  static void Count(Tally& tally, const SocketRecord& r) {
    Evidence& e = tally.finding->evidence;
    ++e.sockets;
    if (r.inode == 0) ++e.orphans;
    if (r.state == TcpState::kCloseWait && r.rqueue > 0) ++e.fin_unread;
    if (tally.finding->direction == Direction::kOutbound) {
      ++tally.destinations[{r.family, r.remote_address}];
    }
  }

  const Snapshot& snapshot_;
  std::vector<Tally>& tallies_;
  std::size_t first_group_;
  InodeGroups& inodes_;
  std::unordered_set<std::uint64_t>& cgroups_;
  bool unknown_cgroup_ = false;
};

void KeepDestinations(Tally& tally) {
  auto& out = tally.finding->evidence.destinations;
  out.clear();
  for (const auto& [key, sockets] : tally.destinations) {
    out.push_back({key.first, key.second, sockets});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const AddressCount& a, const AddressCount& b) {
                     return a.sockets > b.sockets;
                   });
  if (out.size() > 5) out.resize(5);
}

}  // namespace

std::uint32_t KernelStatesToTrace(const std::vector<Finding*>& findings) {
  std::uint32_t states = 0;
  for (const Finding* f : findings) {
    if (f->ports.empty()) continue;
    if (ServedByListener(f->kind)) states |= KernelStateBits(TcpState::kListen);
    switch (f->kind) {
      case FindingKind::kPortExhaustion:
        states |= AllKernelStateBits();
        break;
      case FindingKind::kUnread:
      case FindingKind::kPeerNotReading:
      case FindingKind::kUnacknowledged:
        states |= KernelStateBits(TcpState::kEstablished) |
                  KernelStateBits(TcpState::kCloseWait);
        break;
      default:
        if (const auto state = StateOfKind(f->kind)) {
          states |= KernelStateBits(*state);
        }
        break;
    }
  }
  return states;
}

void FindingTracer::Add(DumpSource& dump, const Snapshot& snapshot,
                        const std::vector<Finding*>& findings) {
  // Into tables of their own first: a dump that fails half-way must leave
  // nothing under group numbers the next Add will reuse.
  std::vector<Tally> tallies;
  for (Finding* f : findings) {
    if (f->ports.empty()) continue;
    f->evidence = Evidence{};
    f->evidence.traced = true;
    tallies.push_back({f, {}});
  }
  InodeGroups found;
  std::unordered_set<std::uint64_t> cgroups;
  TraceSink sink(snapshot, tallies, traced_.size(), found, cgroups);
  dump.Dump(sink);
  for (const auto& [inode, groups] : found) inodes_[inode] |= groups;
  for (Tally& tally : tallies) {
    KeepDestinations(tally);
    if (traced_.size() < kMaxHolderGroups) traced_.push_back(tally.finding);
  }
  // Where the holders are likely to be: the cgroups that made the traced
  // sockets. An unknown one widens the walk to every process from the
  // start.
  if (sink.unknown_cgroup()) unscoped_ = true;
  scope_ids_.insert(cgroups.begin(), cgroups.end());
}

ProcessScanStats FindingTracer::Resolve(const std::string& proc_root,
                                        const ProcessScanLimits& limits) {
  std::optional<CgroupScope> scope;
  if (!unscoped_ && !scope_ids_.empty() && !cgroup_mount_.empty()) {
    scope = CgroupScope{cgroup_mount_, scope_ids_};
  }
  SocketHolders holders = FindSocketHolders(inodes_, traced_.size(), proc_root,
                                            limits, scope ? &*scope : nullptr);
  for (std::size_t i = 0; i < holders.groups.size(); ++i) {
    traced_[i]->evidence.processes = std::move(holders.groups[i]);
    traced_[i]->evidence.scan = holders.stats;
  }
  return holders.stats;
}

}  // namespace tcpstated
