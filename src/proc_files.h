#pragma once

#include <dirent.h>
#include <unistd.h>

#include <charconv>
#include <memory>
#include <optional>
#include <string_view>

namespace tcpstated {

// An owned file descriptor; -1 when the open failed (errno says why).
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
// An open directory; null when opendir() failed (errno says why).
using Dir = std::unique_ptr<DIR, DirCloser>;

// The pid a /proc entry names ("4242"); nullopt for "self", "net", ...
inline std::optional<int> PidOfProcEntry(std::string_view name) {
  int pid = 0;
  const auto [end, error] =
      std::from_chars(name.data(), name.data() + name.size(), pid);
  if (error != std::errc() || end != name.data() + name.size() || pid <= 0) {
    return std::nullopt;
  }
  return pid;
}

}  // namespace tcpstated
