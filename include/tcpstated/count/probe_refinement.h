#pragma once

#include <cstdint>

#include "tcpstated/diag/dump_source.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Whether a port of `snapshot` has at least `min_sockets` sockets under the
// zero-window probe timer: then which end is stuck is worth a second look.
bool HasProbingStalls(const Snapshot& snapshot, std::uint64_t min_sockets);

// The probe timer runs when the peer advertises a zero window, and also
// when our own segments never leave this host (a local firewall drops
// them): the dump alone cannot tell which. `info_dump` (ESTABLISHED and
// CLOSE_WAIT sockets with tcp_info) can: the probing sockets whose peer
// window is open move, port by port, from kZeroWindow to kNotSent. Ports
// are classified as in the snapshot. Throws CollectError.
void SplitProbingStalls(DumpSource& info_dump, Snapshot& snapshot);

}  // namespace tcpstated
