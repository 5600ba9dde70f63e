#pragma once

#include <string>

#include "tcpstated/io/unique_fd.h"

namespace tcpstated::testing {

// A network namespace under /run/netns (as `ip netns add` makes it), with
// loopback up, for the object's lifetime. Throws std::system_error.
class NamedNetns {
 public:
  explicit NamedNetns(std::string name);
  ~NamedNetns();  // deletes it, unless Delete() did
  NamedNetns(const NamedNetns&) = delete;
  NamedNetns& operator=(const NamedNetns&) = delete;

  const std::string& name() const { return name_; }
  std::string path() const { return "/run/netns/" + name_; }
  void Delete();

 private:
  std::string name_;
  bool deleted_ = false;
};

// Moves the calling thread into the network namespace at `path` for good.
// Throws std::system_error.
void EnterNetns(const std::string& path);

// Moves the calling thread into a namespace (by path) and back to where it
// was when the object goes.
class InsideNetns {
 public:
  explicit InsideNetns(const std::string& path);
  ~InsideNetns();
  InsideNetns(const InsideNetns&) = delete;
  InsideNetns& operator=(const InsideNetns&) = delete;

 private:
  UniqueFd home_;
};

}  // namespace tcpstated::testing
