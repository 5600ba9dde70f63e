#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tcpstated/port_classifier.h"

namespace tcpstated {

// Parses "LOW HIGH" as found in /proc/sys/net/ipv4/ip_local_port_range.
std::optional<PortRange> ParsePortRange(std::string_view text);

// The ephemeral port range of the calling thread's network namespace.
// Throws CollectError if the file cannot be read or parsed.
PortRange ReadLocalPortRange(
    const std::string& path = "/proc/sys/net/ipv4/ip_local_port_range");

// Moves the calling thread into a network namespace: a name under
// /run/netns (as `ip netns add` creates) or a path such as
// /proc/PID/ns/net. Throws CollectError.
void EnterNetns(const std::string& name_or_path);

}  // namespace tcpstated
