#pragma once

#include <cstdint>

#include "tcpstated/model/ports.h"

namespace tcpstated {

// The per-port rule of the README's "How ports are classified": a socket on
// a listening local port is inbound by that port; one whose remote port
// listens here is outbound by it; otherwise the port outside the ephemeral
// range wins, and if both or neither are ephemeral, the lower one (a tie
// counts as outbound, since no local service listens on it).
PortClass ClassifyPorts(std::uint16_t local_port, std::uint16_t remote_port,
                        const PortSet& listening, PortRange ephemeral);

}  // namespace tcpstated
