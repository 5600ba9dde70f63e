#pragma once

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tcpstated {

// Why a collection failed; the daemon counts failures by this reason.
enum class CollectErrorReason {
  kNetlinkError,  // the kernel answered NLMSG_ERROR or an error in NLMSG_DONE
  kTruncated,     // MSG_TRUNC: a message did not fit the receive buffer
  kNoBuffers,     // ENOBUFS: the kernel dropped messages
  kMalformed,     // a short, oversized or otherwise invalid message
  kSocket,        // opening, binding or talking to the netlink socket failed
  kNamespace,     // entering the network namespace failed
  kIo,            // reading a replay file or writing a recording failed
  kInternal,      // anything else (out of memory, a bug): counted, survived
};

inline constexpr std::array<CollectErrorReason, 8> kAllCollectErrorReasons = {
    CollectErrorReason::kNetlinkError, CollectErrorReason::kTruncated,
    CollectErrorReason::kNoBuffers,    CollectErrorReason::kMalformed,
    CollectErrorReason::kSocket,       CollectErrorReason::kNamespace,
    CollectErrorReason::kIo,           CollectErrorReason::kInternal,
};

// Lower snake case, the `reason` label of tcpstate_collect_errors_total.
std::string_view ReasonName(CollectErrorReason reason);

// Thrown by dump sources and the parser. A failed collection never
// publishes partial counts.
class CollectError : public std::runtime_error {
 public:
  CollectError(CollectErrorReason reason, const std::string& message)
      : std::runtime_error(message), reason_(reason) {}
  CollectErrorReason reason() const { return reason_; }

 private:
  CollectErrorReason reason_;
};

}  // namespace tcpstated
