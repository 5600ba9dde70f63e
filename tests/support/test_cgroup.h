#pragma once

#include <string>
#include <vector>

namespace tcpstated::testing {

// A cgroup under the machine's writable cgroup v2 hierarchy, for the
// object's lifetime. `relative` ("tcpstated-test-42.slice/leaky.service")
// may name several levels; those created are removed afterwards, once the
// process has left (sockets it made inside do not hold a cgroup).
class TestCgroup {
 public:
  explicit TestCgroup(const std::string& relative);
  ~TestCgroup();
  TestCgroup(const TestCgroup&) = delete;
  TestCgroup& operator=(const TestCgroup&) = delete;

  // The cgroup v2 mount point, "" when there is none (tests skip then).
  static std::string Mount();

  // Moves this process in, and back to the cgroup it came from.
  void Enter() const;
  void Leave() const;
  // As the kernel names it, from the root of the hierarchy ("/a/b").
  std::string path() const { return "/" + relative_; }

 private:
  std::string mount_, relative_, home_;
  std::vector<std::string> created_;  // deepest last
};

// This process's name (/proc/self/comm) for the scope of the object.
class ProcessName {
 public:
  explicit ProcessName(const char* name);
  ~ProcessName();
  ProcessName(const ProcessName&) = delete;
  ProcessName& operator=(const ProcessName&) = delete;

 private:
  char saved_[17] = {};
};

}  // namespace tcpstated::testing
