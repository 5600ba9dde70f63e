#include "tcpstated/diag/raw_dump_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tcpstated/io/files.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

[[noreturn]] void ThrowIo(const std::string& what, const std::string& path) {
  throw CollectError(CollectErrorReason::kIo,
                     what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

RawDumpWriter::RawDumpWriter(const std::string& path) : path_(path) {
  if (path.empty()) {
    throw CollectError(CollectErrorReason::kIo, "dump file: empty path");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) ThrowIo("cannot record to", path_);
    fd_ = ::open(path.c_str(),
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0) ThrowIo("cannot create", path_);
    created_ = true;
    return;
  }
  if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)) {
    throw CollectError(CollectErrorReason::kIo,
                       "cannot record to " + path + ": it exists (" +
                           DescribeFileType(st.st_mode) +
                           "); name a new file, a FIFO or a device");
  }
  // Non-blocking open: a FIFO without a reader fails (ENXIO) instead of
  // waiting for one; writes then block as usual.
  fd_ = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd_ < 0) ThrowIo("cannot open", path_);
  ::fcntl(fd_, F_SETFL, 0);
}

RawDumpWriter::~RawDumpWriter() {
  if (fd_ >= 0) ::close(fd_);
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

void RawDumpWriter::Close() {
  const int fd = fd_;
  fd_ = -1;
  if (fd >= 0 && ::close(fd) != 0) ThrowIo("cannot write", path_);
}

void RawDumpWriter::Abandon() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (created_) ::unlink(path_.c_str());
  created_ = false;
}

}  // namespace tcpstated
