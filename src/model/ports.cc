#include "tcpstated/model/ports.h"

namespace tcpstated {

std::string_view DirectionName(Direction direction) {
  return direction == Direction::kInbound ? "inbound" : "outbound";
}

std::string PortLabel(std::optional<std::uint16_t> port) {
  return port ? std::to_string(*port) : "other";
}

}  // namespace tcpstated
