#pragma once

#include <bitset>
#include <cstdint>
#include <string_view>

namespace tcpstated {

// Inbound sockets are labelled by their local (service) port, outbound ones
// by the remote port they connect to.
enum class Direction : std::uint8_t { kInbound, kOutbound };
inline constexpr std::size_t kDirectionCount = 2;

std::string_view DirectionName(Direction direction);

// A closed port interval, as in net.ipv4.ip_local_port_range.
struct PortRange {
  std::uint16_t low = 32768;  // the kernel's default range
  std::uint16_t high = 60999;
  bool Contains(std::uint16_t port) const {
    return port >= low && port <= high;
  }
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

using PortSet = std::bitset<65536>;

struct PortClass {
  Direction direction;
  std::uint16_t port;
  friend bool operator==(const PortClass&, const PortClass&) = default;
};

// The per-port rule of DESIGN.md: a socket on a listening local port is
// inbound by that port; one whose remote port listens here is outbound by
// it; otherwise the port outside the ephemeral range wins, and if both or
// neither are ephemeral, the lower one (a tie counts as outbound, since no
// local service listens on it).
PortClass ClassifyPorts(std::uint16_t local_port, std::uint16_t remote_port,
                        const PortSet& listening, PortRange ephemeral);

}  // namespace tcpstated
