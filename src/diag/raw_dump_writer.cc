#include "tcpstated/diag/raw_dump_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

[[noreturn]] void ThrowIo(const std::string& what, const std::string& path) {
  throw CollectError(CollectErrorReason::kIo,
                     what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

RawDumpWriter::RawDumpWriter(const std::string& path)
    : path_(path),
      fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                 0644)) {
  if (fd_ < 0) ThrowIo("cannot create", path_);
}

RawDumpWriter::~RawDumpWriter() { ::close(fd_); }

void RawDumpWriter::Restart() {
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) {
    ThrowIo("cannot truncate", path_);
  }
}

void RawDumpWriter::Write(std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      ThrowIo("cannot write", path_);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
}

}  // namespace tcpstated
