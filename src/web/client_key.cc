#include "client_key.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace tcpstated {

std::string ClientKey(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address == nullptr) return "other";
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    return text;
  }
  if (address->sa_family != AF_INET6) return "other";
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
  if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
    in_addr v4{};
    std::memcpy(&v4, &v6->sin6_addr.s6_addr[12], sizeof v4);
    inet_ntop(AF_INET, &v4, text, sizeof text);
    return text;
  }
  in6_addr prefix{};
  std::memcpy(&prefix, &v6->sin6_addr, 8);  // the /64; the rest stays 0
  inet_ntop(AF_INET6, &prefix, text, sizeof text);
  return std::string(text) + "/64";
}

}  // namespace tcpstated
