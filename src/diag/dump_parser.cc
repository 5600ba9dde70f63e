#include "dump_parser.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>

#include "tcpstated/diag/kernel_states.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

constexpr std::size_t kHeaderSize = sizeof(nlmsghdr);
constexpr std::size_t kAlignTo = NLMSG_ALIGNTO;

constexpr std::size_t AlignUp(std::size_t n) {
  return (n + kAlignTo - 1) & ~(kAlignTo - 1);
}

[[noreturn]] void Malformed(const std::string& what) {
  throw CollectError(CollectErrorReason::kMalformed,
                     "malformed netlink message: " + what);
}

// Netlink carries errors as negative errno values; a hostile INT_MIN must
// not overflow on negation.
std::string NegativeErrnoText(int negative) {
  const long long error = -static_cast<long long>(negative);
  const char* text = error <= 4095 ? std::strerror(static_cast<int>(error))
                                   : "invalid error code";
  return std::string(text) + " (errno " + std::to_string(error) + ")";
}

}  // namespace

std::size_t DumpParser::Parse(std::span<const std::byte> bytes) {
  std::size_t offset = 0;
  while (bytes.size() - offset >= kHeaderSize) {
    nlmsghdr header;
    std::memcpy(&header, bytes.data() + offset, kHeaderSize);
    const std::size_t length = header.nlmsg_len;
    if (length < kHeaderSize) {
      Malformed("length " + std::to_string(length) +
                " is shorter than a netlink header");
    }
    const std::size_t remaining = bytes.size() - offset;
    if (length > remaining) break;  // incomplete: wait for more bytes
    const auto message = bytes.subspan(offset, length);
    ++messages_;
    if (header.nlmsg_flags & NLM_F_DUMP_INTR) interrupted_ = true;
    at_boundary_ = header.nlmsg_type == NLMSG_DONE;

    switch (header.nlmsg_type) {
      case SOCK_DIAG_BY_FAMILY:
      case TCPDIAG_GETSOCK:
        ParseDiagMessage(message);
        break;
      case NLMSG_DONE:
        ParseDone(message);
        break;
      case NLMSG_ERROR:
        ParseError(message);
        break;
      case NLMSG_NOOP:
        break;
      default:
        Malformed("unexpected message type " +
                  std::to_string(header.nlmsg_type));
    }
    // The last message of a datagram may omit its alignment padding.
    offset += std::min(AlignUp(length), remaining);
  }
  return offset;
}

void DumpParser::ParseDiagMessage(std::span<const std::byte> message) {
  if (message.size() < kHeaderSize + sizeof(inet_diag_msg)) {
    Malformed("inet_diag message of " + std::to_string(message.size()) +
              " bytes, need " +
              std::to_string(kHeaderSize + sizeof(inet_diag_msg)));
  }
  inet_diag_msg msg;
  std::memcpy(&msg, message.data() + kHeaderSize, sizeof msg);

  if (msg.idiag_family != AF_INET && msg.idiag_family != AF_INET6) {
    Malformed("address family " + std::to_string(msg.idiag_family));
  }
  const auto state = StateFromKernel(msg.idiag_state);
  if (!state) {
    ++records_ignored_;
    return;
  }
  ++records_;
  SocketRecord& r = record_;
  r.family = msg.idiag_family == AF_INET ? Family::kIpv4 : Family::kIpv6;
  r.state = *state;
  r.local_port = ntohs(msg.id.idiag_sport);
  r.remote_port = ntohs(msg.id.idiag_dport);
  r.rqueue = msg.idiag_rqueue;
  r.wqueue = msg.idiag_wqueue;
  r.uid = msg.idiag_uid;
  r.timer = static_cast<KernelTimer>(msg.idiag_timer);
  r.retransmits = msg.idiag_retrans;
  r.inode = msg.idiag_inode;
  r.cookie =
      (std::uint64_t{msg.id.idiag_cookie[1]} << 32) | msg.id.idiag_cookie[0];
  static_assert(sizeof msg.id.idiag_src == sizeof r.local_address);
  std::memcpy(r.local_address.data(), msg.id.idiag_src,
              sizeof msg.id.idiag_src);
  std::memcpy(r.remote_address.data(), msg.id.idiag_dst,
              sizeof msg.id.idiag_dst);
  ParseAttributes(message.subspan(kHeaderSize + AlignUp(sizeof msg)), r);
  sink_.OnRecord(r);
}

void DumpParser::ParseAttributes(std::span<const std::byte> attributes,
                                 SocketRecord& r) {
  r.has_tcp_info = false;
  r.has_send_window = false;
  r.unacked = 0;
  r.send_window = 0;
  r.cgroup_id = 0;
  while (attributes.size() >= sizeof(rtattr)) {
    rtattr header;
    std::memcpy(&header, attributes.data(), sizeof header);
    if (header.rta_len < sizeof header || header.rta_len > attributes.size()) {
      Malformed("attribute length " + std::to_string(header.rta_len) +
                " with " + std::to_string(attributes.size()) + " bytes left");
    }
    const auto payload =
        attributes.subspan(sizeof header, header.rta_len - sizeof header);
    if (header.rta_type == INET_DIAG_INFO) {
      ParseTcpInfo(payload, r);
    } else if (header.rta_type == INET_DIAG_CGROUP_ID &&
               payload.size() >= sizeof r.cgroup_id) {
      std::memcpy(&r.cgroup_id, payload.data(), sizeof r.cgroup_id);
    }
    attributes = attributes.subspan(
        std::min(AlignUp(header.rta_len), attributes.size()));
  }
}

// tcp_info grew over the kernel's versions: each field is read only when
// the payload reaches past it.
void DumpParser::ParseTcpInfo(std::span<const std::byte> payload,
                              SocketRecord& r) {
  const auto read = [&payload](std::size_t offset, std::uint32_t& into) {
    if (payload.size() < offset + sizeof into) return false;
    std::memcpy(&into, payload.data() + offset, sizeof into);
    return true;
  };
  r.has_tcp_info =
      read(offsetof(tcp_info, tcpi_last_ack_recv), r.last_ack_recv_ms);
  if (!r.has_tcp_info) return;
  read(offsetof(tcp_info, tcpi_unacked), r.unacked);
  r.has_send_window = read(offsetof(tcp_info, tcpi_snd_wnd), r.send_window);
}

void DumpParser::ParseDone(std::span<const std::byte> message) {
  // Since Linux 4.x the payload carries the dump's final status; a negative
  // value means the dump stopped early and the counts are incomplete.
  if (message.size() >= kHeaderSize + sizeof(int)) {
    int status;
    std::memcpy(&status, message.data() + kHeaderSize, sizeof status);
    if (status < 0) {
      throw CollectError(CollectErrorReason::kNetlinkError,
                         "dump ended with error: " + NegativeErrnoText(status));
    }
  }
  ++dumps_done_;
}

void DumpParser::ParseError(std::span<const std::byte> message) {
  if (message.size() < kHeaderSize + sizeof(int)) {
    Malformed("NLMSG_ERROR of " + std::to_string(message.size()) + " bytes");
  }
  int error;
  std::memcpy(&error, message.data() + kHeaderSize, sizeof error);
  if (error == 0) return;  // an acknowledgement, not an error
  throw CollectError(
      CollectErrorReason::kNetlinkError,
      "kernel answered NLMSG_ERROR: " + NegativeErrnoText(error));
}

}  // namespace tcpstated
