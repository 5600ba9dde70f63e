#include "test_cgroup.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "socket_scenario.h"

namespace tcpstated::testing {
namespace {

void MoveSelfTo(const std::string& cgroup_dir) {
  std::ofstream(cgroup_dir + "/cgroup.procs") << ::getpid() << std::flush;
}

}  // namespace

std::string TestCgroup::Mount() {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    const auto dash = line.find(" - cgroup2 ");
    if (dash == std::string::npos) continue;
    std::istringstream fields(line.substr(0, dash));
    std::string id, parent, device, root, mount_point;
    if (fields >> id >> parent >> device >> root >> mount_point) {
      return mount_point;
    }
  }
  return "";
}

TestCgroup::TestCgroup(const std::string& relative)
    : mount_(Mount()), relative_(relative), home_(OwnCgroupPath()) {
  std::string dir = mount_;
  std::istringstream parts(relative);
  std::string part;
  while (std::getline(parts, part, '/')) {
    dir += "/" + part;
    if (::mkdir(dir.c_str(), 0755) == 0) created_.push_back(dir);
  }
}

TestCgroup::~TestCgroup() {
  Leave();
  for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
    ::rmdir(it->c_str());
  }
}

void TestCgroup::Enter() const { MoveSelfTo(mount_ + "/" + relative_); }
void TestCgroup::Leave() const { MoveSelfTo(mount_ + home_); }

ProcessName::ProcessName(const char* name) {
  ::prctl(PR_GET_NAME, saved_);
  ::prctl(PR_SET_NAME, name);
}

ProcessName::~ProcessName() { ::prctl(PR_SET_NAME, saved_); }

}  // namespace tcpstated::testing
