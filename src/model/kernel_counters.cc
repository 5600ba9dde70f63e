#include "tcpstated/model/kernel_counters.h"

namespace tcpstated {

std::string_view KernelCounterName(KernelCounter counter) {
  static constexpr std::string_view kNames[kKernelCounterCount] = {
      "listen_overflows",  "listen_drops",     "time_wait_overflows",
      "time_wait_entered", "time_wait_reused", "active_opens",
      "passive_opens",     "connect_failures", "resets_sent",
      "syncookies_sent",   "aborts_on_close",  "aborts_on_data",
      "aborts_on_timeout", "aborts_on_linger", "aborts_on_memory",
      "aborts_failed",     "syn_retransmits",  "retransmitted_segments",
      "timeouts",          "orphans",          "memory_pages",
  };
  return kNames[static_cast<std::size_t>(counter)];
}

}  // namespace tcpstated
