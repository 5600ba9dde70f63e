#pragma once

#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

#include "tcpstated/collect/sweep.h"
#include "tcpstated/host/container_names.h"
#include "tcpstated/model/log.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Collects one network namespace from inside it (the calling thread has
// entered it); throws CollectError when it cannot.
using NamespaceCollect =
    std::function<std::shared_ptr<const Snapshot>(const NetworkNamespace&)>;

// Every network namespace of the host, one at a time: what the daemon
// (collect.netns = all) and `report --collect.netns all` share. Namespaces
// without a TCP socket cost one read of /proc/net/sockstat and are not
// collected (most namespaces of a container host hold none), unless the
// caller has more to say of them; those gone since they were listed, or
// not ours to enter, are counted. The calling thread moves from namespace
// to namespace and stays in the last one.
class HostSweep {
 public:
  explicit HostSweep(LogFn log = DiscardLog) : log_(std::move(log)) {}

  // The host's namespaces (named ones first), each with its owner named
  // through `containers`.
  static std::vector<NetworkNamespace> List(ContainerNames& containers);

  // Calls `collect` inside each of `namespaces`; what it throws is that
  // namespace's failure (kept in the sweep with its message), not the
  // sweep's. Namespaces whose inode is in `even_if_empty` are collected
  // without a TCP socket (their churn outlives their sockets). A requested
  // `stop` ends the sweep before the next namespace. Logs once, the first
  // time, that namespaces could not be entered for lack of CAP_SYS_ADMIN.
  // Throws CollectError only when the sweep itself cannot go on.
  Sweep Run(const std::vector<NetworkNamespace>& namespaces,
            const NamespaceCollect& collect, const std::stop_token& stop = {},
            const NetnsInodes& even_if_empty = {});

 private:
  LogFn log_;
  bool warned_denied_ = false;
};

}  // namespace tcpstated
