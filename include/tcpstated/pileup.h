#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcpstated/port_classifier.h"
#include "tcpstated/socket_holders.h"
#include "tcpstated/tcp_state.h"

namespace tcpstated {

// Sockets of one state piling up on one classified port.
struct Pileup {
  TcpState state = TcpState::kCloseWait;
  Direction direction = Direction::kInbound;
  std::optional<std::uint16_t> port;  // nullopt: the "other" row
  std::uint64_t sockets = 0;
  double share = 0;  // of all sockets
  // Who holds the sockets, when asked for (FindPileupProcesses): never in
  // metrics, where a pid would be a label of unbounded cardinality.
  std::vector<ProcessSockets> processes;
};

// The likely cause of a pileup and the first thing to check, for operators.
std::string Diagnose(const Pileup& pileup);

}  // namespace tcpstated
