#include "tcpstated/diag/sock_diag_source.h"

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <vector>

#include "dump_parser.h"
#include "netlink_socket.h"
#include "tcpstated/diag/kernel_states.h"
#include "tcpstated/diag/raw_dump_writer.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

// Holds a request message: header plus the larger of the two request bodies.
using RequestBuffer =
    std::array<std::byte, MNL_ALIGN(sizeof(nlmsghdr)) +
                              MNL_ALIGN(sizeof(inet_diag_req_v2)) +
                              MNL_ALIGN(sizeof(inet_diag_req))>;

std::span<const std::byte> BuildRequest(RequestBuffer& buffer, DiagRequest kind,
                                        std::uint8_t family,
                                        std::uint32_t sequence,
                                        const SockDiagOptions& options) {
  const std::uint32_t states =
      options.kernel_states != 0 ? options.kernel_states : AllKernelStateBits();
  const std::uint8_t extensions =
      options.tcp_info ? 1u << (INET_DIAG_INFO - 1) : 0;
  buffer.fill(std::byte{0});
  nlmsghdr* header = mnl_nlmsg_put_header(buffer.data());
  header->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  header->nlmsg_seq = sequence;
  if (kind == DiagRequest::kLegacyOneWalk) {
    header->nlmsg_type = TCPDIAG_GETSOCK;
    auto* request = static_cast<inet_diag_req*>(
        mnl_nlmsg_put_extra_header(header, sizeof(inet_diag_req)));
    // The kernel dumps both families for this request whatever the family
    // field says (inet_diag_dump_compat uses AF_UNSPEC).
    request->idiag_family = AF_INET;
    request->idiag_states = states;
    request->idiag_ext = extensions;
  } else {
    header->nlmsg_type = SOCK_DIAG_BY_FAMILY;
    auto* request = static_cast<inet_diag_req_v2*>(
        mnl_nlmsg_put_extra_header(header, sizeof(inet_diag_req_v2)));
    request->sdiag_family = family;
    request->sdiag_protocol = IPPROTO_TCP;
    request->idiag_states = states;
    request->idiag_ext = extensions;
  }
  return {buffer.data(), header->nlmsg_len};
}

struct LegacyRequestRefused {};

}  // namespace

std::string_view DiagRequestName(DiagRequest request) {
  return request == DiagRequest::kLegacyOneWalk ? "legacy-one-walk"
                                                : "per-family";
}

SockDiagSource::SockDiagSource(const SockDiagOptions& options,
                               RawDumpWriter* recorder)
    : options_(options), recorder_(recorder) {}

DumpStats SockDiagSource::Dump(RecordSink& sink) {
  if (options_.request == DiagRequest::kLegacyOneWalk) {
    try {
      return DumpWith(DiagRequest::kLegacyOneWalk, sink);
    } catch (const LegacyRequestRefused&) {
      // A kernel built without the inet_diag compatibility handler answers
      // the legacy request with an error before any socket: use the
      // per-family requests from now on.
      options_.request = DiagRequest::kPerFamily;
    }
  }
  return DumpWith(options_.request, sink);
}

DumpStats SockDiagSource::DumpWith(DiagRequest kind, RecordSink& sink) {
  DumpStats stats = Walk(kind, sink);
  // One dump is recorded: a repeated one (for classification) would make
  // the recording count every socket twice on replay.
  recorder_ = nullptr;
  return stats;
}

DumpStats SockDiagSource::Walk(DiagRequest kind, RecordSink& sink) {
  NetlinkSocket socket(NETLINK_SOCK_DIAG);
  DumpParser parser(sink);
  std::vector<std::byte> buffer(options_.receive_buffer);
  RequestBuffer request;
  std::uint64_t bytes = 0;

  const std::vector<std::uint8_t> families =
      kind == DiagRequest::kLegacyOneWalk
          ? std::vector<std::uint8_t>{AF_UNSPEC}
          : std::vector<std::uint8_t>{AF_INET, AF_INET6};
  std::uint32_t sequence = 0;
  for (std::uint8_t family : families) {
    socket.Send(BuildRequest(request, kind, family, ++sequence, options_));
    const std::uint64_t dumps_before = parser.dumps_done();
    while (parser.dumps_done() == dumps_before) {
      const std::size_t received = socket.Receive(buffer);
      if (received == 0) {
        throw CollectError(CollectErrorReason::kMalformed,
                           "netlink socket returned an empty datagram");
      }
      const std::span<const std::byte> datagram(buffer.data(), received);
      bytes += received;
      try {
        if (parser.Parse(datagram) != received) {
          throw CollectError(CollectErrorReason::kMalformed,
                             "datagram ends inside a netlink message");
        }
      } catch (const CollectError& error) {
        if (kind == DiagRequest::kLegacyOneWalk && parser.messages() == 1 &&
            error.reason() == CollectErrorReason::kNetlinkError) {
          throw LegacyRequestRefused();
        }
        throw;
      }
      // Recorded once parsed: a refused legacy request leaves no trace.
      if (recorder_ != nullptr) recorder_->Write(datagram);
    }
  }
  return parser.Stats(bytes);
}

}  // namespace tcpstated
