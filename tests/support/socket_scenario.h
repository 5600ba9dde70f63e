#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tcpstated::testing {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.Release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Close();

 private:
  int fd_ = -1;
};

enum class IpFamily { kV4, kV6 };

// Builds real TCP sockets in chosen states on loopback and keeps them
// until destroyed. Meant for a private network namespace, where these are
// the only sockets and counts are exact. Every call blocks until the
// kernel has the sockets in the promised state (loopback handshakes and
// FINs complete inside the calls); failures throw std::system_error.
class SocketScenario {
 public:
  // Source addresses for client sockets, round-robin; lets one server port
  // take more than one ephemeral range's worth of clients (127.0.0.0/8).
  void SetIpv4Sources(std::vector<std::string> sources);

  // A listener on the loopback (or wildcard) address. Port 0 picks one;
  // the bound port is returned. With `defer_accept`, connections that
  // send nothing stay request sockets (SYN_RECV) on this side.
  std::uint16_t Listen(IpFamily family, std::uint16_t port, int backlog,
                       bool defer_accept = false, bool wildcard = false);

  // n connections, accepted; both ends ESTABLISHED.
  void Established(IpFamily family, std::uint16_t port, int n);
  // n connections, accepted, whose client sent `bytes` the server never
  // reads: unread data in the server's receive queue.
  void Unread(IpFamily family, std::uint16_t port, int n, int bytes);
  // n connections left in the accept queue: both ends ESTABLISHED, and the
  // listener's queue length grows by n.
  void Queued(IpFamily family, std::uint16_t port, int n);
  // The client closes (FIN_WAIT2) and the server keeps its end (CLOSE_WAIT).
  // With `client_keeps_fd`, the client half-closes with shutdown() and its
  // FIN_WAIT2 never times out; otherwise it is an orphan.
  void CloseWait(IpFamily family, std::uint16_t port, int n,
                 bool client_keeps_fd = false);
  // The client closes first, then the server: TIME_WAIT on the client's
  // side, nothing left on the server's.
  void TimeWait(IpFamily family, std::uint16_t port, int n);
  // Connections to a defer-accept listener that send nothing: SYN_RECV on
  // the server, ESTABLISHED on the client.
  void SynRecv(IpFamily family, std::uint16_t port, int n);
  // Non-blocking connects to a listener whose accept queue is full: the
  // kernel drops the SYNs, so the clients sit in SYN_SENT.
  void SynSent(IpFamily family, std::uint16_t port, int n);

  std::size_t open_fds() const { return fds_.size(); }

 private:
  Fd Connect(IpFamily family, std::uint16_t port, bool blocking = true);
  Fd Accept(std::uint16_t port);
  int ListenerFd(std::uint16_t port) const;

  struct Listener {
    std::uint16_t port;
    int fd;
  };
  std::vector<Fd> fds_;
  std::vector<Listener> listeners_;
  std::vector<std::string> ipv4_sources_;
  std::size_t next_source_ = 0;
};

// Moves the calling process into a new network namespace with loopback up.
void EnterPrivateNetns();

// Raises RLIMIT_NOFILE as far as the hard limit allows; returns the limit.
std::uint64_t RaiseFdLimit();

// This process's cgroup v2 path ("/" for the root), from /proc/self/cgroup.
std::string OwnCgroupPath();

}  // namespace tcpstated::testing
