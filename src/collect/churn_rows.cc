#include "tcpstated/collect/churn_rows.h"

#include "tcpstated/count/collector.h"
#include "tcpstated/diag/kernel_states.h"
#include "tcpstated/diag/sock_diag_source.h"
#include "tcpstated/host/network_namespaces.h"

namespace tcpstated {

std::optional<std::uint64_t> ChurnNamespaceOf(const Snapshot& snapshot) {
  if (snapshot.netns) return snapshot.netns->inode;
  return CurrentNetnsInode();
}

void AttachChurn(Snapshot& snapshot, const ChurnReading& reading,
                 const ChurnSettings& settings) {
  if (!reading.status.enabled) return;
  const auto netns = ChurnNamespaceOf(snapshot);
  if (!netns) return;
  snapshot.churn_enabled = true;
  snapshot.churn =
      ChurnRowsOf(reading, *netns, settings.max_ports, settings.lifetime_ports);
}

TimedChurnReading ReadChurnNow(ChurnEvents& events) {
  return {events.Read(), std::chrono::steady_clock::now()};
}

void AttachChurnRates(Snapshot& snapshot, const TimedChurnReading& start,
                      const TimedChurnReading& end,
                      const ChurnSettings& settings) {
  AttachChurn(snapshot, end.reading, settings);
  const auto netns = ChurnNamespaceOf(snapshot);
  if (!snapshot.churn_enabled || !netns) return;
  snapshot.churn_before =
      ChurnRowsOf(start.reading, *netns, settings.max_ports, 0);
  snapshot.churn_interval = end.at - start.at;
}

NetnsInodes NamespacesWithChurn(const ChurnReading& reading) {
  NetnsInodes namespaces;
  for (const ChurnEntry& entry : reading.entries) {
    // A listener's key, seeded by the daemon, is no churn yet.
    if (entry.counts.Activity() > 0) namespaces.insert(entry.netns);
  }
  return namespaces;
}

void NoteCurrentListeners(ChurnEvents& events) {
  if (!events.status().enabled) return;
  const auto netns = CurrentNetnsInode();
  if (!netns) return;
  SockDiagSource listeners(
      {.kernel_states = KernelStateBits(TcpState::kListen)});
  events.NoteListeners(*netns,
                       Collect(listeners, CountSettings{}).snapshot.listening);
}

}  // namespace tcpstated
