#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

struct mnl_socket;

namespace tcpstated {

// A bound netlink socket (libmnl's), closed on destruction. libmnl is used
// here and, to build the request messages, in sock_diag_source.cc: diag/
// is its only user.
class NetlinkSocket {
 public:
  explicit NetlinkSocket(int bus);  // throws CollectError
  ~NetlinkSocket();
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;
  NetlinkSocket(NetlinkSocket&&) = delete;
  NetlinkSocket& operator=(NetlinkSocket&&) = delete;

  void Send(std::span<const std::byte> message);
  // One datagram; throws CollectError for MSG_TRUNC, ENOBUFS and failures.
  std::size_t Receive(std::span<std::byte> buffer);

 private:
  mnl_socket* socket_;
};

}  // namespace tcpstated
