#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tcpstated/model/ports.h"
#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

// Full sockets of one owner: a systemd unit, a cgroup path, or "other" (the
// owners beyond the cap, summed).
struct OwnerSockets {
  std::string owner;
  StateCounts states{};
};

// Sockets of one classified port held by one owner.
struct PortOwner {
  PortClass port{};
  std::string owner;
  std::uint64_t sockets = 0;
};

// Sockets by owner, from a dump's per-cgroup counts.
struct Attribution {
  std::vector<OwnerSockets> owners;    // busiest first, "other" last
  std::uint64_t owners_folded = 0;     // owners summed into "other"
  std::vector<PortOwner> listeners;    // by port, then owner
  std::vector<PortOwner> close_waits;  // busiest first
  std::uint64_t unattributed = 0;      // sockets past the counter's caps

  // Who to look at for a pileup of `state` on `port`: the owners of its
  // CLOSE_WAIT sockets (busiest first) for CLOSE_WAIT, else of its listeners
  // (none for an outbound port, whose TIME_WAIT and orphan sockets carry no
  // cgroup).
  std::vector<PortOwner> OwnersOf(PortClass port, TcpState state) const;
  // The same as one line: "leaky.service (37), /docker/4f2a (2)"; "" when
  // nobody is known.
  std::string DescribeOwnersOf(PortClass port, TcpState state) const;
};

}  // namespace tcpstated
