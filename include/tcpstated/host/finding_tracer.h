#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "tcpstated/diag/dump_source.h"
#include "tcpstated/host/cgroup_paths.h"
#include "tcpstated/host/socket_holders.h"
#include "tcpstated/model/finding.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// The kernel states (SockDiagOptions::kernel_states) a dump must cover to
// trace `findings`; 0 when none can be traced.
std::uint32_t KernelStatesToTrace(const std::vector<Finding*>& findings);

// Traces findings to the processes behind them, possibly of several
// namespaces: each namespace's sockets are dumped from inside it (Add),
// then one walk of /proc/*/fd finds the holders of all of them (Resolve);
// socket inodes are unique host-wide. Each finding is traced through the
// sockets its role names (see RoleOf): a server's listener, a client's
// sockets toward the destination, or the very sockets of the finding. The
// same dump counts what the evidence needs: sockets held by no process
// (orphans), CLOSE_WAIT sockets whose FIN is unread, remote addresses. At
// most kMaxHolderGroups findings per tracer.
class FindingTracer {
 public:
  // `cgroup_mount`: where the cgroup v2 hierarchy is, to walk the
  // processes of the traced sockets' cgroups first ("": walk them all).
  explicit FindingTracer(std::string cgroup_mount = LocateCgroup2())
      : cgroup_mount_(std::move(cgroup_mount)) {}

  // `dump` (covering KernelStatesToTrace) lists the calling thread's
  // namespace, whose `snapshot` classifies ports. The findings must stay
  // where they are until Resolve. Throws CollectError from the dump.
  void Add(DumpSource& dump, const Snapshot& snapshot,
           const std::vector<Finding*>& findings);
  // Walks /proc once and fills the Evidence of everything added.
  ProcessScanStats Resolve(const std::string& proc_root = "/proc",
                           const ProcessScanLimits& limits = {});

 private:
  InodeGroups inodes_;
  std::vector<Finding*> traced_;
  std::string cgroup_mount_;
  std::unordered_set<std::uint64_t> scope_ids_;
  bool unscoped_ = false;
};

}  // namespace tcpstated
