#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace tcpstated {

// Writes the raw netlink byte stream of one dump, in the format
// `ss -D FILE` writes and `TCPDIAG_FILE=FILE ss` or ReplaySource read back.
//
// A path that does not exist is created with mode 0600, never through a
// symlink (O_CREAT | O_EXCL | O_NOFOLLOW: root writing into /tmp must not
// be steered onto another file). A FIFO or a character device (a pipe,
// /dev/stdout on a terminal) is streamed to. An existing regular file is
// refused rather than overwritten.
class RawDumpWriter {
 public:
  explicit RawDumpWriter(const std::string& path);  // throws CollectError
  ~RawDumpWriter();
  RawDumpWriter(const RawDumpWriter&) = delete;
  RawDumpWriter& operator=(const RawDumpWriter&) = delete;

  void Write(std::span<const std::byte> bytes);  // throws CollectError
  // Closes the file, reporting a failed final write-back (NFS, a full
  // disk); throws CollectError.
  void Close();
  // The collection failed: a file this writer created is removed, so that
  // no partial dump is left behind.
  void Abandon();

 private:
  std::string path_;
  int fd_ = -1;
  bool created_ = false;
};

}  // namespace tcpstated
