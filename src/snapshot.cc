#include "tcpstated/snapshot.h"

namespace tcpstated {

StateCounts Snapshot::Totals() const {
  StateCounts totals{};
  for (const StateCounts& family : families) AddTo(totals, family);
  return totals;
}

double Snapshot::EphemeralPortPressure() const {
  if (remote_endpoints.empty()) return 0;
  const double range = ephemeral_range.high - ephemeral_range.low + 1.0;
  return static_cast<double>(remote_endpoints.front().sockets) / range;
}

}  // namespace tcpstated
