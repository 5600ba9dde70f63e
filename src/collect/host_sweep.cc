#include "tcpstated/collect/host_sweep.h"

#include "tcpstated/host/kernel_counters.h"
#include "tcpstated/host/network_namespaces.h"

namespace tcpstated {

std::vector<NetworkNamespace> HostSweep::List(ContainerNames& containers) {
  return ListNetworkNamespaces("/run/netns", "/proc", &containers);
}

Sweep HostSweep::Run(const std::vector<NetworkNamespace>& namespaces,
                     const NamespaceCollect& collect,
                     const std::stop_token& stop,
                     const NetnsInodes& even_if_empty) {
  const auto started = std::chrono::steady_clock::now();
  Sweep sweep;
  const auto visit = [&](const NetworkNamespace& netns) {
    // One read of /proc/net/sockstat from inside instead of a dump.
    if (!even_if_empty.contains(netns.inode) && TcpSocketsInUse() == 0u) {
      ++sweep.empty;
      return;
    }
    NamespaceResult result{netns, nullptr, std::nullopt, ""};
    try {
      result.snapshot = collect(netns);
    } catch (const CollectError& error) {
      result.error = error.reason();
      result.message = error.what();
    } catch (const std::exception& error) {  // bad_alloc, a bug: survived
      result.error = CollectErrorReason::kInternal;
      result.message = error.what();
    }
    sweep.results.push_back(std::move(result));
  };
  const NamespaceSkips skips = VisitNetworkNamespaces(namespaces, visit, stop);
  sweep.vanished = skips.vanished;
  sweep.denied = skips.denied;
  sweep.duration = std::chrono::steady_clock::now() - started;
  if (sweep.denied > 0 && !warned_denied_) {
    log_(LogLevel::kWarn,
         std::to_string(sweep.denied) +
             " network namespaces could not be entered: reading every "
             "namespace needs CAP_SYS_ADMIN (the drop-in "
             "tcpstated-all-namespaces.conf grants it); they are counted in "
             "tcpstate_netns_skipped_total");
    warned_denied_ = true;
  }
  return sweep;
}

}  // namespace tcpstated
