#include "tcpstated/collect/churn_rows.h"

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
  snapshot.churn = ChurnRowsOf(reading, *netns, settings.max_ports,
                               settings.lifetime_ports);
}

}  // namespace tcpstated
