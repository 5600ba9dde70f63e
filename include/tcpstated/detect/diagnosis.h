#pragma once

#include <string>
#include <string_view>

#include "tcpstated/model/pileup.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// The likely cause of a pileup and the first thing to check, for
// operators, from the namespace's own settings and counters in `snapshot`
// (tcp_tw_reuse, tcp_max_tw_buckets and its overflows, somaxconn,
// tcp_fin_timeout, tcp_syn_retries, ...). `ports` names the port(s) in the
// text; empty: the pileup's own port.
std::string Diagnose(const Pileup& pileup, const Snapshot& snapshot,
                     std::string_view ports = "");

}  // namespace tcpstated
