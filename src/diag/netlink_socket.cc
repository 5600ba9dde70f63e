#include "netlink_socket.h"

#include <libmnl/libmnl.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

[[noreturn]] void ThrowErrno(CollectErrorReason reason, const char* what) {
  throw CollectError(reason, std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

NetlinkSocket::NetlinkSocket(int bus)
    : socket_(mnl_socket_open2(bus, SOCK_CLOEXEC)) {
  if (socket_ == nullptr) {
    ThrowErrno(CollectErrorReason::kSocket, "netlink socket");
  }
  if (mnl_socket_bind(socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
    const int saved = errno;
    mnl_socket_close(socket_);
    errno = saved;
    ThrowErrno(CollectErrorReason::kSocket, "netlink bind");
  }
}

NetlinkSocket::~NetlinkSocket() { mnl_socket_close(socket_); }

void NetlinkSocket::Send(std::span<const std::byte> message) {
  const ssize_t sent =
      mnl_socket_sendto(socket_, message.data(), message.size());
  if (sent < 0) ThrowErrno(CollectErrorReason::kSocket, "netlink send");
  if (static_cast<std::size_t>(sent) != message.size()) {
    throw CollectError(CollectErrorReason::kSocket,
                       "netlink send: short write");
  }
}

std::size_t NetlinkSocket::Receive(std::span<std::byte> buffer) {
  for (;;) {
    const ssize_t got =
        mnl_socket_recvfrom(socket_, buffer.data(), buffer.size());
    if (got >= 0) return static_cast<std::size_t>(got);
    switch (errno) {
      case EINTR:
        continue;
      case ENOSPC:  // libmnl's translation of MSG_TRUNC
        throw CollectError(CollectErrorReason::kTruncated,
                           "netlink message truncated (MSG_TRUNC): receive "
                           "buffer of " +
                               std::to_string(buffer.size()) +
                               " bytes too small");
      case ENOBUFS:
        throw CollectError(
            CollectErrorReason::kNoBuffers,
            "netlink receive: kernel dropped messages (ENOBUFS)");
      default:
        ThrowErrno(CollectErrorReason::kSocket, "netlink receive");
    }
  }
}

}  // namespace tcpstated
