#include "tcpstated/web/listen_address.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace tcpstated {
namespace {

constexpr int kBacklog = 128;

std::uint16_t ParsePort(const std::string& text, const std::string& whole) {
  unsigned port = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || error != std::errc() ||
      end != text.data() + text.size() || port > 65535 ||
      (text.size() > 1 && text.front() == '0')) {
    throw std::invalid_argument("\"" + whole +
                                "\": the port must be 0 to 65535 in decimal");
  }
  return static_cast<std::uint16_t>(port);
}

std::string Text(const ListenAddress& a) {
  switch (a.kind) {
    case ListenAddress::Kind::kDualStack:
      return ":" + std::to_string(a.port);
    case ListenAddress::Kind::kIpv4:
      return a.host + ":" + std::to_string(a.port);
    case ListenAddress::Kind::kIpv6:
      return "[" + a.host + "]:" + std::to_string(a.port);
  }
  return "";
}

// -1 when IPv6 sockets cannot be made here (a kernel booted without it).
int Socket(int family) {
  return ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
}

}  // namespace

std::vector<ListenAddress> ParseListenAddress(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("\"" + text +
                                "\": expected [HOST]:PORT, such as :10039, "
                                "127.0.0.1:10039 or [::1]:10039");
  }
  std::string host = text.substr(0, colon);
  const std::uint16_t port = ParsePort(text.substr(colon + 1), text);
  if (host.empty()) return {{ListenAddress::Kind::kDualStack, "", port}};
  if (host == "localhost") {
    return {{ListenAddress::Kind::kIpv4, "127.0.0.1", port},
            {ListenAddress::Kind::kIpv6, "::1", port}};
  }
  unsigned char buffer[16];
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (inet_pton(AF_INET6, host.c_str(), buffer) == 1) {
      return {{ListenAddress::Kind::kIpv6, host, port}};
    }
  } else if (inet_pton(AF_INET, host.c_str(), buffer) == 1) {
    return {{ListenAddress::Kind::kIpv4, host, port}};
  }
  throw std::invalid_argument(
      "\"" + text +
      "\": HOST must be an IPv4 address, an IPv6 address in "
      "brackets, localhost, or empty for every address");
}

UniqueFd OpenListener(const ListenAddress& address) {
  const auto fail = [&](const std::string& what) -> UniqueFd {
    throw std::runtime_error("cannot listen on " + Text(address) + ": " + what +
                             ": " + std::strerror(errno));
  };
  sockaddr_storage storage{};
  socklen_t length = 0;
  UniqueFd fd;
  const bool v6 = address.kind != ListenAddress::Kind::kIpv4;
  if (v6) fd = UniqueFd(Socket(AF_INET6));
  if (v6 && fd) {
    auto* sa = reinterpret_cast<sockaddr_in6*>(&storage);
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(address.port);
    sa->sin6_addr = in6addr_any;
    if (!address.host.empty() &&
        inet_pton(AF_INET6, address.host.c_str(), &sa->sin6_addr) != 1) {
      return fail("bad address");
    }
    // ":PORT" takes IPv4 too; "[::]:PORT" means IPv6 only.
    const int v6only = address.kind == ListenAddress::Kind::kIpv6 ? 1 : 0;
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
    length = sizeof(sockaddr_in6);
  } else if (address.kind == ListenAddress::Kind::kIpv6) {
    return fail("IPv6 socket");
  } else {
    // IPv4, or ":PORT" on a host without IPv6.
    fd = UniqueFd(Socket(AF_INET));
    if (!fd) return fail("socket");
    auto* sa = reinterpret_cast<sockaddr_in*>(&storage);
    sa->sin_family = AF_INET;
    sa->sin_port = htons(address.port);
    sa->sin_addr.s_addr = htonl(INADDR_ANY);
    if (!address.host.empty() &&
        inet_pton(AF_INET, address.host.c_str(), &sa->sin_addr) != 1) {
      return fail("bad address");
    }
    length = sizeof(sockaddr_in);
  }
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    return fail("bind");
  }
  if (::listen(fd.get(), kBacklog) != 0) return fail("listen");
  return fd;
}

std::string DescribeListener(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return "?";
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET6) {
    const auto* sa = reinterpret_cast<const sockaddr_in6*>(&storage);
    inet_ntop(AF_INET6, &sa->sin6_addr, text, sizeof text);
    return "[" + std::string(text) +
           "]:" + std::to_string(ntohs(sa->sin6_port));
  }
  if (storage.ss_family == AF_INET) {
    const auto* sa = reinterpret_cast<const sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &sa->sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(sa->sin_port));
  }
  return "?";
}

int ListenerPort(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    return 0;
  }
  if (storage.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  }
  if (storage.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  }
  return 0;
}

}  // namespace tcpstated
