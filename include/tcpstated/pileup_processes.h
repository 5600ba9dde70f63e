#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tcpstated/dump_source.h"
#include "tcpstated/pileup.h"
#include "tcpstated/snapshot.h"
#include "tcpstated/socket_holders.h"

namespace tcpstated {

// Whether FindPileupProcesses can say who holds the pileup's sockets.
bool CanTraceToProcesses(const Pileup& pileup);

// The kernel states (SockDiagOptions::kernel_states) a dump must cover for
// FindPileupProcesses; 0 when no pileup can be traced to a process.
std::uint32_t KernelStatesToTrace(const std::vector<Pileup>& pileups);

// Fills Pileup::processes for the pileups on a port, with the rule of
// Attribution::OwnersOf: a CLOSE_WAIT pileup is traced to the processes
// holding those sockets, any other inbound pileup to the processes holding
// the port's listeners. TIME_WAIT, request and orphaned sockets have no
// file, and an outbound port no listener here: those stay untraced.
// `dump` (covering KernelStatesToTrace) finds the sockets' inodes, one walk
// of /proc/*/fd their holders. Ports are classified as in `snapshot`.
// Throws CollectError from the dump.
ProcessScanStats FindPileupProcesses(DumpSource& dump, const Snapshot& snapshot,
                                     std::vector<Pileup>& pileups,
                                     const std::string& proc_root = "/proc",
                                     const ProcessScanLimits& limits = {});

}  // namespace tcpstated
