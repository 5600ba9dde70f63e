#include "tcpstated/host/cgroup_paths.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <deque>
#include <fstream>
#include <sstream>

#include "tcpstated/host/untrusted_name.h"
#include "tcpstated/io/unique_fd.h"

namespace tcpstated {
namespace {

// Cgroup directory names are at most NAME_MAX; the whole path is capped
// so that a deep hierarchy cannot make one label huge.
constexpr std::size_t kMaxComponentBytes = 255;
constexpr std::size_t kMaxPathBytes = 1024;
constexpr std::size_t kMaxMissing = 4096;

}  // namespace

std::string FindCgroup2Mount(const std::string& mountinfo) {
  // Fields: ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE
  std::ifstream in(mountinfo);
  std::string line;
  while (std::getline(in, line)) {
    const auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream after(line.substr(dash + 3));
    std::string type;
    after >> type;
    if (type != "cgroup2") continue;
    std::istringstream before(line.substr(0, dash));
    std::string id, parent, device, root, mount_point;
    if (before >> id >> parent >> device >> root >> mount_point) {
      return mount_point;
    }
  }
  return "";
}

std::string LocateCgroup2() {
  std::string own = FindCgroup2Mount("/proc/self/mountinfo");
  if (!own.empty()) return own;
  // `ip netns exec` gives its command a mount namespace with /sys mounted
  // afresh, without the cgroup hierarchy under it: init's mount namespace
  // still has it, through /proc/1/root (for root).
  const std::string init = FindCgroup2Mount("/proc/1/mountinfo");
  if (init.empty()) return "";
  const std::string through = "/proc/1/root" + init;
  struct stat st {};
  return ::stat((through + "/cgroup.procs").c_str(), &st) == 0 ? through : "";
}

std::size_t WalkCgroupTree(
    const std::string& mount,
    const std::function<void(const std::string& path, std::uint64_t id)>& visit,
    std::size_t max_cgroups) {
  struct Pending {
    std::string real;     // to open
    std::string display;  // sanitized, relative to the mount
  };
  std::deque<Pending> level{{mount, "/"}};
  std::size_t visited = 0;
  while (!level.empty() && visited < max_cgroups) {
    Pending dir = std::move(level.front());
    level.pop_front();
    // O_NOFOLLOW | O_DIRECTORY: a cgroup is a directory, never a link.
    UniqueFd fd(::open(dir.real.c_str(),
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0) continue;  // gone meanwhile
    visit(dir.display, st.st_ino);
    ++visited;
    Dir entries(::fdopendir(fd.get()));
    if (!entries) continue;
    fd.release();  // owned by `entries` now
    while (const dirent* entry = ::readdir(entries.get())) {
      if (entry->d_type != DT_DIR && entry->d_type != DT_UNKNOWN) continue;
      const std::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;
      std::string display = dir.display == "/" ? "" : dir.display;
      display += "/" + SanitizeName(name, kMaxComponentBytes);
      if (display.size() > kMaxPathBytes)
        display = SanitizeName(display, kMaxPathBytes);
      level.push_back({dir.real + "/" + std::string(name), std::move(display)});
    }
  }
  return visited;
}

CgroupFsPaths::CgroupFsPaths(std::string mount,
                             std::chrono::seconds forget_missing_after)
    : mount_(std::move(mount)), forget_missing_after_(forget_missing_after) {}

void CgroupFsPaths::NewCollection(Clock::time_point now) {
  now_ = now;
  rescanned_ = false;
}

std::optional<std::string> CgroupFsPaths::PathOf(std::uint64_t cgroup_id) {
  if (const auto it = paths_.find(cgroup_id); it != paths_.end()) {
    return it->second;
  }
  if (const auto gone = missing_.find(cgroup_id); gone != missing_.end()) {
    if (now_ - gone->second < forget_missing_after_) return std::nullopt;
    missing_.erase(gone);
  }
  if (!rescanned_) Rescan();
  if (const auto it = paths_.find(cgroup_id); it != paths_.end()) {
    return it->second;
  }
  if (missing_.size() >= kMaxMissing) missing_.clear();
  missing_.emplace(cgroup_id, now_);
  return std::nullopt;
}

void CgroupFsPaths::Rescan() {
  rescanned_ = true;
  if (mount_.empty()) return;
  ++rescans_;
  std::unordered_map<std::uint64_t, std::string> fresh;
  WalkCgroupTree(mount_, [&fresh](const std::string& path, std::uint64_t id) {
    fresh.emplace(id, path);
  });
  paths_.swap(fresh);
}

}  // namespace tcpstated
