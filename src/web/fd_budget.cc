#include "fd_budget.h"

namespace tcpstated {

std::size_t ReservedDescriptors(unsigned http_threads) {
  return 32 + 4 * static_cast<std::size_t>(http_threads);
}

std::size_t ConnectionsThatFit(std::uint64_t open_file_limit,
                               unsigned http_threads) {
  const std::size_t reserved = ReservedDescriptors(http_threads);
  if (open_file_limit <= reserved + 1) return 1;
  return static_cast<std::size_t>(open_file_limit - reserved);
}

}  // namespace tcpstated
