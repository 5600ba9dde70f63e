#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "tcpstated/io/unique_fd.h"

namespace tcpstated {

// Why a file named from outside (a config file, a dump, a namespace) cannot
// be used; the message names the path and what was wrong, on one line.
class FileProblem : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opens `path` for reading if it is a regular file. The open does not block
// (a FIFO or a device named by mistake cannot stall the caller) and the
// type is checked on the opened descriptor, so a swap after the check
// cannot slip through. Throws FileProblem.
UniqueFd OpenRegularFile(const std::string& path);

// The whole of a regular file of at most `max_bytes` bytes. Throws
// FileProblem (not a regular file, unreadable, too large).
std::string ReadRegularFile(const std::string& path, std::size_t max_bytes);

// What a file is, for messages: "a FIFO", "a directory", ...
std::string DescribeFileType(unsigned mode);

}  // namespace tcpstated
