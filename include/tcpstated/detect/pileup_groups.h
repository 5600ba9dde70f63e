#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcpstated/model/owners.h"
#include "tcpstated/model/pileup.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Pileups of one state (or stall kind) and direction held by the same
// owners (and, when traced, the same processes): one program leaking on 30
// ports is one entry, not 30 copies of one paragraph.
struct PileupGroup {
  TcpState state = TcpState::kCloseWait;
  std::optional<StallKind> stall;
  Direction direction = Direction::kInbound;
  std::vector<std::uint16_t> ports;  // ascending
  std::uint64_t sockets = 0;
  double share = 0;
  std::uint64_t bytes = 0;
  std::vector<PortOwner> owners;          // summed over the ports
  std::vector<ProcessSockets> processes;  // summed over the ports
  std::string diagnosis;
  const Pileup* first = nullptr;  // the busiest pileup of the group
};

// Groups `pileups` (pointers into it are kept: it must outlive the result),
// busiest group first, each with its diagnosis from `snapshot`.
std::vector<PileupGroup> GroupPileups(const std::vector<Pileup>& pileups,
                                      const Snapshot& snapshot);

// "7100-7129, 8080": contiguous ports as ranges.
std::string DescribePorts(const std::vector<std::uint16_t>& ports);

// "port 8080" or "ports 7100-7129 (30 ports)".
std::string PortsPhrase(const std::vector<std::uint16_t>& ports);

// The owners of a group as one line: "leaky.service (3000)".
std::string DescribeOwners(const std::vector<PortOwner>& owners);

}  // namespace tcpstated
