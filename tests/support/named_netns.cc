#include "named_netns.h"

#include <fcntl.h>
#include <sched.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace tcpstated::testing {
namespace {

void Run(const std::string& command) {
  if (std::system(command.c_str()) != 0) {
    throw std::system_error(EIO, std::generic_category(), command);
  }
}

int OpenOrThrow(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), path);
  return fd;
}

void SetnsOrThrow(int fd, const std::string& what) {
  if (::setns(fd, CLONE_NEWNET) != 0) {
    throw std::system_error(errno, std::generic_category(), "setns " + what);
  }
}

}  // namespace

NamedNetns::NamedNetns(std::string name) : name_(std::move(name)) {
  Run("ip netns add " + name_);
  Run("ip -n " + name_ + " link set lo up");
}

NamedNetns::~NamedNetns() {
  if (!deleted_) std::system(("ip netns del " + name_).c_str());
}

void NamedNetns::Delete() {
  Run("ip netns del " + name_);
  deleted_ = true;
}

void EnterNetns(const std::string& path) {
  const UniqueFd target(OpenOrThrow(path));
  SetnsOrThrow(target.get(), path);
}

InsideNetns::InsideNetns(const std::string& path)
    : home_(OpenOrThrow("/proc/thread-self/ns/net")) {
  EnterNetns(path);
}

InsideNetns::~InsideNetns() {
  // Staying in the wrong namespace would make every later count wrong.
  if (::setns(home_.get(), CLONE_NEWNET) != 0) std::abort();
}

}  // namespace tcpstated::testing
