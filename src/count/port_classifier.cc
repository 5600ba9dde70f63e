#include "tcpstated/count/port_classifier.h"

namespace tcpstated {

PortClass ClassifyPorts(std::uint16_t local_port, std::uint16_t remote_port,
                        const PortSet& listening, PortRange ephemeral) {
  if (listening.test(local_port)) return {Direction::kInbound, local_port};
  if (listening.test(remote_port)) return {Direction::kOutbound, remote_port};
  const bool local_ephemeral = ephemeral.Contains(local_port);
  const bool remote_ephemeral = ephemeral.Contains(remote_port);
  if (local_ephemeral != remote_ephemeral) {
    return local_ephemeral ? PortClass{Direction::kOutbound, remote_port}
                           : PortClass{Direction::kInbound, local_port};
  }
  return local_port < remote_port
             ? PortClass{Direction::kInbound, local_port}
             : PortClass{Direction::kOutbound, remote_port};
}

}  // namespace tcpstated
