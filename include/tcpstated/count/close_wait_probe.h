#pragma once

#include <chrono>
#include <vector>

#include "tcpstated/diag/dump_source.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Ages the CLOSE_WAIT sockets of `snapshot` without history, for a one-shot
// report: `close_wait_dump` must be a dump of CLOSE_WAIT sockets only with
// tcp_info (SockDiagOptions::kernel_states and tcp_info). The age of an
// idle CLOSE_WAIT socket is the time since the last ACK it received, which
// came with the peer's FIN. Ports are classified as in the snapshot.
// Throws CollectError.
std::vector<CloseWaitAge> ProbeCloseWaitAges(DumpSource& close_wait_dump,
                                             const Snapshot& snapshot,
                                             std::chrono::seconds old_after);

}  // namespace tcpstated
