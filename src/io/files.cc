#include "tcpstated/io/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tcpstated {

std::string DescribeFileType(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "a regular file";
    case S_IFDIR:
      return "a directory";
    case S_IFIFO:
      return "a FIFO";
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    case S_IFSOCK:
      return "a socket";
    default:
      return "not a regular file";
  }
}

UniqueFd OpenRegularFile(const std::string& path) {
  if (path.empty()) throw FileProblem("empty file name");
  UniqueFd fd(
      ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd) throw FileProblem(path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    throw FileProblem(path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    throw FileProblem(path + " is " + DescribeFileType(st.st_mode) +
                      ", not a regular file");
  }
  // Reads of a regular file never block; clear the flag all the same.
  ::fcntl(fd.get(), F_SETFL, 0);
  return fd;
}

std::string ReadRegularFile(const std::string& path, std::size_t max_bytes) {
  const UniqueFd fd = OpenRegularFile(path);
  std::string content;
  char buffer[8192];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw FileProblem(path + ": " + std::strerror(errno));
    }
    if (got == 0) return content;
    if (content.size() + static_cast<std::size_t>(got) > max_bytes) {
      throw FileProblem(path + " is larger than " + std::to_string(max_bytes) +
                        " bytes");
    }
    content.append(buffer, static_cast<std::size_t>(got));
  }
}

}  // namespace tcpstated
