#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace tcpstated {

// Writes the raw netlink byte stream of a dump to a file, in the format
// `ss -D FILE` writes and `TCPDIAG_FILE=FILE ss` or ReplaySource read back.
class RawDumpWriter {
 public:
  explicit RawDumpWriter(const std::string& path);  // throws CollectError
  ~RawDumpWriter();
  RawDumpWriter(const RawDumpWriter&) = delete;
  RawDumpWriter& operator=(const RawDumpWriter&) = delete;

  // Empties the file: a repeated dump replaces the previous one.
  void Restart();
  void Write(std::span<const std::byte> bytes);

 private:
  std::string path_;
  int fd_;
};

}  // namespace tcpstated
