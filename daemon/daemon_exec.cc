#include "daemon_exec.h"

#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

namespace tcpstated {
namespace {

std::string BesideThisBinary() {
  char self[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return "";
  std::string path(self, static_cast<std::size_t>(length));
  const auto slash = path.rfind('/');
  return slash == std::string::npos
             ? ""
             : path.substr(0, slash) + "/tcpstated-daemon";
}

}  // namespace

int ExecDaemon(char** argv) {
  const std::string beside = BesideThisBinary();
  for (const std::string& path : {beside, std::string(TCPSTATED_DAEMON_PATH)}) {
    if (path.empty() || access(path.c_str(), X_OK) != 0) continue;
    execv(path.c_str(), argv);
    std::cerr << "tcpstated: cannot run " << path << ": "
              << std::strerror(errno) << "\n";
    return 1;
  }
  std::cerr << "tcpstated: tcpstated-daemon is missing (looked beside this "
               "binary and at " TCPSTATED_DAEMON_PATH ")\n";
  return 1;
}

}  // namespace tcpstated
