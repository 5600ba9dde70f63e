#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tcpstated {

// Inbound sockets are labelled by their local (service) port, outbound ones
// by the remote port they connect to.
enum class Direction : std::uint8_t { kInbound, kOutbound };
inline constexpr std::size_t kDirectionCount = 2;
inline constexpr Direction kAllDirections[] = {Direction::kInbound,
                                               Direction::kOutbound};

std::string_view DirectionName(Direction direction);

// A closed port interval, as in net.ipv4.ip_local_port_range.
struct PortRange {
  std::uint16_t low = 32768;  // the kernel's default range
  std::uint16_t high = 60999;
  bool Contains(std::uint16_t port) const {
    return port >= low && port <= high;
  }
  std::size_t Size() const { return std::size_t{high} - low + 1; }
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

using PortSet = std::bitset<65536>;

// A socket's port as classified: its direction and the port it counts
// under (see ClassifyPorts).
struct PortClass {
  Direction direction;
  std::uint16_t port;
  friend bool operator==(const PortClass&, const PortClass&) = default;
};

// How a port appears in labels and text: its number, or "other" for the
// row that sums the ports beyond the cap (nullopt).
std::string PortLabel(std::optional<std::uint16_t> port);

}  // namespace tcpstated
