#include "tcpstated/model/collect_error.h"

namespace tcpstated {

std::string_view ReasonName(CollectErrorReason reason) {
  switch (reason) {
    case CollectErrorReason::kNetlinkError:
      return "netlink_error";
    case CollectErrorReason::kTruncated:
      return "truncated";
    case CollectErrorReason::kNoBuffers:
      return "no_buffers";
    case CollectErrorReason::kMalformed:
      return "malformed";
    case CollectErrorReason::kSocket:
      return "socket";
    case CollectErrorReason::kNamespace:
      return "namespace";
    case CollectErrorReason::kIo:
      return "io";
    case CollectErrorReason::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace tcpstated
