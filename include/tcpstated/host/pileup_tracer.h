#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "tcpstated/diag/dump_source.h"
#include "tcpstated/host/cgroup_paths.h"
#include "tcpstated/host/socket_holders.h"
#include "tcpstated/model/pileup.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Whether FindPileupProcesses can say who holds the pileup's sockets.
bool CanTraceToProcesses(const Pileup& pileup);

// The kernel states (SockDiagOptions::kernel_states) a dump must cover for
// FindPileupProcesses; 0 when no pileup can be traced to a process.
std::uint32_t KernelStatesToTrace(const std::vector<Pileup>& pileups);

// Traces pileups to processes, possibly of several namespaces: each
// namespace's sockets are dumped from inside it (Add), then one walk of
// /proc/*/fd finds the holders of all of them (Resolve); socket inodes are
// unique host-wide. CLOSE_WAIT, SYN_SENT and FIN_WAIT2 pileups and stalled
// connections are traced to the processes holding those sockets, any other
// inbound pileup to the processes holding the port's listeners. TIME_WAIT,
// request and orphaned sockets have no file, and an outbound port no
// listener here: those stay untraced. At most kMaxHolderGroups pileups per
// tracer.
class PileupTracer {
 public:
  // `cgroup_mount`: where the cgroup v2 hierarchy is, to walk the
  // processes of the traced sockets' cgroups first ("": walk them all).
  explicit PileupTracer(std::string cgroup_mount = FindCgroup2Mount())
      : cgroup_mount_(std::move(cgroup_mount)) {}

  // `dump` (covering KernelStatesToTrace(*pileups)) lists the calling
  // thread's namespace, whose `snapshot` classifies ports. `pileups` must
  // stay where it is until Resolve. Throws CollectError from the dump.
  void Add(DumpSource& dump, const Snapshot& snapshot,
           std::vector<Pileup>& pileups);
  // Fills Pileup::processes of everything added.
  ProcessScanStats Resolve(const std::string& proc_root = "/proc",
                           const ProcessScanLimits& limits = {});

 private:
  InodeGroups inodes_;
  std::vector<Pileup*> groups_;
  std::string cgroup_mount_;
  std::unordered_set<std::uint64_t> scope_ids_;
  bool unscoped_ = false;
};

// One namespace's pileups, traced (PileupTracer's Add and Resolve).
ProcessScanStats FindPileupProcesses(DumpSource& dump, const Snapshot& snapshot,
                                     std::vector<Pileup>& pileups,
                                     const std::string& proc_root = "/proc",
                                     const ProcessScanLimits& limits = {});

}  // namespace tcpstated
