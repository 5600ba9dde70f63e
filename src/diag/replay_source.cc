#include "tcpstated/diag/replay_source.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "dump_parser.h"
#include "tcpstated/io/files.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
DumpStats ReplaySource::Dump(RecordSink& sink) {
  UniqueFd file;
  try {
    file = OpenRegularFile(path_);
  } catch (const FileProblem& problem) {
    throw CollectError(CollectErrorReason::kIo,
                       std::string("cannot replay dump ") + problem.what());
  }
  DumpParser parser(sink);
  std::uint64_t bytes = 0;
  // Big enough for any message the kernel sends in one datagram.
  std::vector<std::byte> buffer(64 * 1024);
  std::size_t filled = 0;
  for (;;) {
    const ssize_t got =
        ::read(file.get(), buffer.data() + filled, buffer.size() - filled);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw CollectError(
          CollectErrorReason::kIo,
          "cannot read dump " + path_ + ": " + std::strerror(errno));
    }
    if (got == 0) break;
    bytes += static_cast<std::size_t>(got);
    filled += static_cast<std::size_t>(got);
    const std::size_t used = parser.Parse({buffer.data(), filled});
    if (used == 0 && filled == buffer.size()) {
      throw CollectError(CollectErrorReason::kMalformed,
                         "dump " + path_ + " holds a message larger than " +
                             std::to_string(buffer.size()) + " bytes");
    }
    std::memmove(buffer.data(), buffer.data() + used, filled - used);
    filled -= used;
  }
  if (filled != 0) {
    throw CollectError(CollectErrorReason::kMalformed,
                       "dump " + path_ + " ends inside a message (" +
                           std::to_string(filled) + " stray bytes)");
  }
  if (parser.dumps_done() == 0 || !parser.at_dump_boundary()) {
    throw CollectError(
        CollectErrorReason::kMalformed,
        "dump " + path_ + " is incomplete: no NLMSG_DONE at the end");
  }
  return parser.Stats(bytes);
}

}  // namespace tcpstated
