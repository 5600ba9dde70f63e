#pragma once

#include <cstddef>
#include <cstdint>

namespace tcpstated {

// Descriptors the daemon needs besides its client connections: collection
// (a netlink socket, a namespace and a /proc directory at a time, the
// files it reads), logging, listeners, and each HTTP thread's epoll and
// wake-up pipe. Generous: running short means collections fail.
std::size_t ReservedDescriptors(unsigned http_threads);

// How many client connections fit under an open-file limit of
// `open_file_limit` (RLIMIT_NOFILE's soft value): what is left after the
// reserve, and at least 1 so that the front still serves.
std::size_t ConnectionsThatFit(std::uint64_t open_file_limit,
                               unsigned http_threads);

}  // namespace tcpstated
