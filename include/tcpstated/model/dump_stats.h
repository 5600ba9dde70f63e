#pragma once

#include <cstdint>

namespace tcpstated {

// How a dump went, for self-monitoring.
struct DumpStats {
  std::uint64_t messages = 0;
  std::uint64_t records = 0;
  std::uint64_t records_ignored = 0;
  std::uint64_t bytes = 0;
  bool interrupted = false;  // NLM_F_DUMP_INTR was set on some message
};

}  // namespace tcpstated
