#pragma once

#include "tcpstated/model/finding.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Says why: sets the finding's cause (the one diagnosis its facts and
// evidence support: a stopped holder is not a missing close(), a local
// drop is not a peer that stopped reading), what to check, with the
// namespace's own settings and counters, and its owners (units) with
// their role. Pure.
void Explain(Finding& finding, const Snapshot& snapshot);

// The role the processes of a finding of this kind play when they are
// found: the server's listener, the client's sockets, or the very sockets
// of the finding.
HolderRole RoleOf(const Finding& finding);

}  // namespace tcpstated
