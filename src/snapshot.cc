#include "tcpstated/snapshot.h"

namespace tcpstated {

StateCounts Snapshot::Totals() const {
  StateCounts totals{};
  for (const StateCounts& family : families) {
    for (std::size_t s = 0; s < kTcpStateCount; ++s) totals[s] += family[s];
  }
  return totals;
}

}  // namespace tcpstated
