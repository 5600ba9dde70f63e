#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tcpstated::testing {

// A stand-in for /proc: PID/comm, PID/stat (its state) and PID/fd/N links
// whose targets read like the kernel's ("socket:[INODE]", "/dev/null",
// "pipe:[7]").
class FakeProc {
 public:
  FakeProc()
      : root_(std::filesystem::temp_directory_path() /
              ("tcpstated-proc-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "self");  // not a pid: ignored
  }
  ~FakeProc() { std::filesystem::remove_all(root_); }

  void Process(int pid, const std::string& command,
               const std::vector<std::string>& links, char state = 'S') {
    const std::filesystem::path dir = root_ / std::to_string(pid);
    std::filesystem::create_directories(dir / "fd");
    std::ofstream(dir / "comm") << command << "\n";
    std::ofstream(dir / "stat")
        << pid << " (" << command << ") " << state << " 1 " << pid << "\n";
    for (std::size_t fd = 0; fd < links.size(); ++fd) {
      std::filesystem::create_symlink(links[fd],
                                      dir / "fd" / std::to_string(fd));
    }
  }
  void InCgroup(int pid, const std::string& path) {
    std::ofstream(root_ / std::to_string(pid) / "cgroup")
        << "1:name=systemd:/\n0::" << path << "\n";
  }
  // A process that exited between the listing of /proc and the walk.
  void Vanished(int pid) {
    std::filesystem::create_directories(root_ / std::to_string(pid));
  }

  std::string root() const { return root_.string(); }

 private:
  std::filesystem::path root_;
};

inline std::string Socket(std::uint32_t inode) {
  return "socket:[" + std::to_string(inode) + "]";
}

}  // namespace tcpstated::testing
