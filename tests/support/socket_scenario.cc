#include "socket_scenario.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace tcpstated::testing {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

int Check(int result, const char* what) {
  if (result < 0) Fail(what);
  return result;
}

sockaddr_storage Address(IpFamily family, const std::string& ip,
                         std::uint16_t port, socklen_t& length) {
  sockaddr_storage storage{};
  if (family == IpFamily::kV4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    if (inet_pton(AF_INET, ip.c_str(), &sin->sin_addr) != 1) {
      throw std::invalid_argument("bad IPv4 address " + ip);
    }
    length = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    if (inet_pton(AF_INET6, ip.c_str(), &sin6->sin6_addr) != 1) {
      throw std::invalid_argument("bad IPv6 address " + ip);
    }
    length = sizeof(sockaddr_in6);
  }
  return storage;
}

const char* Loopback(IpFamily family) {
  return family == IpFamily::kV4 ? "127.0.0.1" : "::1";
}

int Domain(IpFamily family) {
  return family == IpFamily::kV4 ? AF_INET : AF_INET6;
}

std::uint16_t BoundPort(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  Check(getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length),
        "getsockname");
  if (storage.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
}

// Waits until the peer's FIN has arrived on `fd` (read returns 0).
void AwaitPeerClose(int fd) {
  char byte;
  for (int attempt = 0; attempt < 2000; ++attempt) {
    const ssize_t got = recv(fd, &byte, 1, MSG_DONTWAIT);
    if (got == 0) return;
    if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) Fail("recv");
    usleep(1000);
  }
  throw std::runtime_error("peer FIN did not arrive within 2 s");
}

// Waits until `fd` has `bytes` bytes received and unread.
void AwaitUnread(int fd, int bytes) {
  for (int attempt = 0; attempt < 2000; ++attempt) {
    int queued = 0;
    Check(ioctl(fd, FIONREAD, &queued), "FIONREAD");
    if (queued >= bytes) return;
    usleep(1000);
  }
  throw std::runtime_error("sent bytes did not arrive within 2 s");
}

}  // namespace

Fd::~Fd() { Close(); }

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.Release();
  }
  return *this;
}

void Fd::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void SocketScenario::SetIpv4Sources(std::vector<std::string> sources) {
  ipv4_sources_ = std::move(sources);
  next_source_ = 0;
}

std::uint16_t SocketScenario::Listen(IpFamily family, std::uint16_t port,
                                     int backlog, bool defer_accept,
                                     bool wildcard) {
  Fd fd(Check(socket(Domain(family), SOCK_STREAM | SOCK_CLOEXEC, 0), "socket"));
  const int one = 1;
  Check(setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one),
        "SO_REUSEADDR");
  if (family == IpFamily::kV6) {
    Check(setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one),
          "IPV6_V6ONLY");
  }
  if (defer_accept) {
    const int seconds = 60;
    Check(setsockopt(fd.get(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds,
                     sizeof seconds),
          "TCP_DEFER_ACCEPT");
  }
  const std::string ip = wildcard ? (family == IpFamily::kV4 ? "0.0.0.0" : "::")
                                  : Loopback(family);
  socklen_t length = 0;
  const sockaddr_storage address = Address(family, ip, port, length);
  Check(bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), length),
        "bind");
  Check(listen(fd.get(), backlog), "listen");
  const std::uint16_t bound = BoundPort(fd.get());
  listeners_.push_back({bound, fd.get()});
  fds_.push_back(std::move(fd));
  return bound;
}

int SocketScenario::ListenerFd(std::uint16_t port) const {
  for (const Listener& listener : listeners_) {
    if (listener.port == port) return listener.fd;
  }
  throw std::invalid_argument("no listener on port " + std::to_string(port));
}

Fd SocketScenario::Connect(IpFamily family, std::uint16_t port, bool blocking) {
  Fd fd(Check(
      socket(Domain(family),
             SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0),
      "socket"));
  if (family == IpFamily::kV4 && !ipv4_sources_.empty()) {
    // Choose the port at connect() time, per 4-tuple, so that each source
    // address gets a whole ephemeral range.
    const int one = 1;
    Check(setsockopt(fd.get(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
                     sizeof one),
          "IP_BIND_ADDRESS_NO_PORT");
    socklen_t length = 0;
    const auto source =
        Address(family, ipv4_sources_[next_source_++ % ipv4_sources_.size()], 0,
                length);
    Check(bind(fd.get(), reinterpret_cast<const sockaddr*>(&source), length),
          "bind source");
  }
  socklen_t length = 0;
  const auto target = Address(family, Loopback(family), port, length);
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&target), length) <
      0) {
    if (blocking || errno != EINPROGRESS) Fail("connect");
  }
  return fd;
}

Fd SocketScenario::Accept(std::uint16_t port) {
  return Fd(Check(accept4(ListenerFd(port), nullptr, nullptr, SOCK_CLOEXEC),
                  "accept"));
}

void SocketScenario::Established(IpFamily family, std::uint16_t port, int n) {
  for (int i = 0; i < n; ++i) {
    fds_.push_back(Connect(family, port));
    fds_.push_back(Accept(port));
  }
}

void SocketScenario::Unread(IpFamily family, std::uint16_t port, int n,
                            int bytes) {
  const std::string data(static_cast<std::size_t>(bytes), 'x');
  for (int i = 0; i < n; ++i) {
    Fd client = Connect(family, port);
    Fd server = Accept(port);
    Check(static_cast<int>(send(client.get(), data.data(), data.size(), 0)),
          "send");
    AwaitUnread(server.get(), bytes);
    fds_.push_back(std::move(client));
    fds_.push_back(std::move(server));
  }
}

void SocketScenario::Queued(IpFamily family, std::uint16_t port, int n) {
  ListenerFd(port);
  for (int i = 0; i < n; ++i) fds_.push_back(Connect(family, port));
}

void SocketScenario::CloseWait(IpFamily family, std::uint16_t port, int n,
                               bool client_keeps_fd) {
  for (int i = 0; i < n; ++i) {
    Fd client = Connect(family, port);
    Fd server = Accept(port);
    if (client_keeps_fd) {
      Check(shutdown(client.get(), SHUT_WR), "shutdown");
      fds_.push_back(std::move(client));
    } else {
      client.Close();
    }
    AwaitPeerClose(server.get());
    // Receiving the FIN put the server in delayed-ACK (pingpong) mode, which
    // would leave the client in FIN_WAIT1 for up to 40 ms. TCP_QUICKACK
    // sends the pending ACK now, so the client is in FIN_WAIT2 on return.
    const int one = 1;
    Check(setsockopt(server.get(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one),
          "TCP_QUICKACK");
    fds_.push_back(std::move(server));
  }
}

void SocketScenario::TimeWait(IpFamily family, std::uint16_t port, int n) {
  for (int i = 0; i < n; ++i) {
    Fd client = Connect(family, port);
    Fd server = Accept(port);
    client.Close();
    AwaitPeerClose(server.get());
    // The server's FIN is acknowledged by the client inside this close()
    // on loopback, taking the client from FIN_WAIT2 to TIME_WAIT.
    server.Close();
  }
}

void SocketScenario::SynRecv(IpFamily family, std::uint16_t port, int n) {
  ListenerFd(port);  // must be one of ours, listening with defer_accept
  for (int i = 0; i < n; ++i) fds_.push_back(Connect(family, port));
}

void SocketScenario::SynSent(IpFamily family, std::uint16_t port, int n) {
  ListenerFd(port);
  for (int i = 0; i < n; ++i) {
    fds_.push_back(Connect(family, port, /*blocking=*/false));
  }
}

void EnterPrivateNetns() {
  Check(unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)");
  Fd fd(Check(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket"));
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  Check(ioctl(fd.get(), SIOCGIFFLAGS, &request), "SIOCGIFFLAGS lo");
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
  Check(ioctl(fd.get(), SIOCSIFFLAGS, &request), "SIOCSIFFLAGS lo");
}

std::uint64_t RaiseFdLimit() {
  rlimit limit{};
  Check(getrlimit(RLIMIT_NOFILE, &limit), "getrlimit");
  limit.rlim_cur = limit.rlim_max;
  Check(setrlimit(RLIMIT_NOFILE, &limit), "setrlimit");
  return limit.rlim_cur;
}

std::string OwnCgroupPath() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  }
  return "";
}

}  // namespace tcpstated::testing
