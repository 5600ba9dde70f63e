#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tcpstated/model/kernel_counters.h"

namespace tcpstated {

// The "Section: Name Name ..." / "Section: value value ..." line pairs of
// /proc/net/netstat and /proc/net/snmp, as "Section.Name" -> value.
// Negative values (Tcp MaxConn -1) are left out.
std::map<std::string, std::uint64_t, std::less<>> ParseCounterTable(
    std::string_view text);

// The "TCP: inuse N orphan N tw N alloc N mem N" line of
// /proc/net/sockstat, as "inuse" -> N, ...
std::map<std::string, std::uint64_t, std::less<>> ParseSockstat(
    std::string_view text, std::string_view protocol = "TCP:");

// The counters of the calling thread's network namespace: /proc/net is
// read through /proc/thread-self, since /proc/self/net shows the namespace
// of the main thread, not of a thread that entered another one. Files or
// fields this kernel lacks leave the counter absent.
KernelCounters ReadKernelCounters(
    const std::string& proc_net = "/proc/thread-self/net");

// TCP sockets of the calling thread's namespace as /proc/net/sockstat and
// sockstat6 count them (IPv4 and IPv6 in use, TIME_WAIT): 0 means a dump
// would be empty. nullopt when the files cannot be read.
std::optional<std::uint64_t> TcpSocketsInUse(
    const std::string& proc_net = "/proc/thread-self/net");

}  // namespace tcpstated
