#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpstated/model/ports.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Parses "LOW HIGH" as found in /proc/sys/net/ipv4/ip_local_port_range.
std::optional<PortRange> ParsePortRange(std::string_view text);

// The ephemeral port range of the calling thread's network namespace.
// Throws CollectError if the file cannot be read or parsed.
PortRange ReadLocalPortRange(
    const std::string& path = "/proc/sys/net/ipv4/ip_local_port_range");

// Reads the TCP-state sysctls of the calling thread's namespace from
// `proc_sys_net` (normally /proc/sys/net); unreadable ones are skipped.
std::vector<SysctlValue> ReadTcpSysctls(
    const std::string& proc_sys_net = "/proc/sys/net");

}  // namespace tcpstated
