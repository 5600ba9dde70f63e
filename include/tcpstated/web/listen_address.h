#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tcpstated/io/unique_fd.h"

namespace tcpstated {

// Where to listen, from a --web.listen-address value.
struct ListenAddress {
  enum class Kind {
    kDualStack,  // ":PORT": IPv6 and IPv4 on one socket (IPv4 alone on a
                 // host without IPv6)
    kIpv4,       // "0.0.0.0:PORT", "127.0.0.1:PORT"
    kIpv6,       // "[::]:PORT" (IPv6 only), "[::1]:PORT"
  };
  Kind kind = Kind::kDualStack;
  std::string host;  // the literal address, "" for kDualStack
  std::uint16_t port = 0;
};

// ":PORT", "IPV4:PORT", "[IPV6]:PORT" or "localhost:PORT" (which means
// 127.0.0.1 and ::1); PORT is 0 to 65535 in decimal. Throws
// std::invalid_argument saying what was expected.
std::vector<ListenAddress> ParseListenAddress(const std::string& text);

// A listening, non-blocking TCP socket on `address`. Throws
// std::runtime_error naming the address and the reason (in use, not an
// address of this host, ...).
UniqueFd OpenListener(const ListenAddress& address);

// What a listening socket is bound to: "127.0.0.1:10039", "[::]:10039".
std::string DescribeListener(int fd);
// Its port (useful after binding port 0); 0 if unknown.
int ListenerPort(int fd);

}  // namespace tcpstated
