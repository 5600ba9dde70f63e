#pragma once

#include <sys/socket.h>

#include <string>

namespace tcpstated {

// Who a client is, for the limits kept per client (connections, password
// checks, failed passwords): its IPv4 address, or the /64 its IPv6
// address is in (one host is given a /64, and could otherwise take a new
// address for every connection). IPv4-mapped IPv6 addresses count as IPv4.
// Unix and unknown families share one key.
std::string ClientKey(const sockaddr* address);

}  // namespace tcpstated
