#include "tcpstated/host/cgroup_paths.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace tcpstated {
namespace {

namespace fs = std::filesystem;

TEST(FindCgroup2MountTest, ReadsTheCgroup2LineOfMountinfo) {
  const std::string path =
      ::testing::TempDir() + "mountinfo-" + std::to_string(::getpid());
  std::ofstream(path)
      << "22 1 0:21 / /proc rw,nosuid shared:12 - proc proc rw\n"
         "30 25 0:26 / /sys/fs/cgroup/memory rw shared:9 - cgroup cgroup "
         "rw,memory\n"
         "35 25 0:31 / /sys/fs/cgroup/unified rw,nosuid shared:14 - "
         "cgroup2 cgroup2 rw\n";
  EXPECT_EQ(FindCgroup2Mount(path), "/sys/fs/cgroup/unified");
  std::ofstream(path) << "22 1 0:21 / /proc rw - proc proc rw\n";
  EXPECT_EQ(FindCgroup2Mount(path), "");
  EXPECT_EQ(FindCgroup2Mount(path + ".missing"), "");
  ::unlink(path.c_str());
}

// A scratch hierarchy: DIR/aNN/leaf for NN < count.
class CgroupTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "cgroups-" + std::to_string(::getpid());
    fs::remove_all(root_);
    for (int i = 0; i < kDirs; ++i) fs::create_directories(Dir(i) + "/leaf");
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string Dir(int i) const { return root_ + "/a" + std::to_string(i); }
  std::uint64_t Inode(const std::string& path) const {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_ino;
  }
  static constexpr int kDirs = 50;
  std::string root_;
};

TEST_F(CgroupTreeTest, VisitsEveryCgroupWithItsPathAndInode) {
  std::set<std::string> paths;
  std::uint64_t leaf7 = 0;
  const std::size_t visited =
      WalkCgroupTree(root_, [&](const std::string& path, std::uint64_t id) {
        paths.insert(path);
        if (path == "/a7/leaf") leaf7 = id;
      });
  EXPECT_EQ(visited, 1u + 2 * kDirs);
  EXPECT_TRUE(paths.count("/"));
  EXPECT_TRUE(paths.count("/a49/leaf"));
  EXPECT_EQ(leaf7, Inode(Dir(7) + "/leaf"));
}

// Regression: recursive_directory_iterator ended the whole walk when one
// directory vanished between being listed and being entered (1 of 100
// visited); owners then degraded to cgroup:ID. Deterministic: the visit of
// the root removes directories the walk has listed but not yet opened.
TEST_F(CgroupTreeTest, ADirectoryThatVanishesMidWalkIsSkippedNotFatal) {
  std::set<std::string> paths;
  WalkCgroupTree(root_, [&](const std::string& path, std::uint64_t) {
    paths.insert(path);
    if (path == "/") {
      fs::remove_all(Dir(3));
      fs::remove_all(Dir(30));
    }
  });
  EXPECT_FALSE(paths.count("/a3"));
  EXPECT_FALSE(paths.count("/a30/leaf"));
  EXPECT_EQ(paths.size(), 1u + 2 * (kDirs - 2));
}

// The same as a live race: directories come and go while CgroupFsPaths
// rescans; the ones that stay are found by every rescan.
TEST_F(CgroupTreeTest, StableCgroupsAreFoundWhileOthersChurn) {
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    for (int n = 0; !stop; ++n) {
      const std::string dir = root_ + "/churn" + std::to_string(n % 20);
      std::error_code error;
      fs::create_directories(dir + "/x/y", error);
      fs::remove_all(dir, error);
    }
  });
  const std::uint64_t stable = Inode(Dir(kDirs - 1) + "/leaf");
  int found = 0;
  for (int i = 0; i < 200; ++i) {
    CgroupFsPaths paths(root_);
    if (paths.PathOf(stable) == "/a" + std::to_string(kDirs - 1) + "/leaf") {
      ++found;
    }
  }
  stop = true;
  churn.join();
  EXPECT_EQ(found, 200);
}

TEST_F(CgroupTreeTest, AMissingIdCostsOneRescanUntilItIsForgotten) {
  using std::chrono::minutes;
  CgroupFsPaths paths(root_, minutes(5));
  const auto t0 = CgroupFsPaths::Clock::now();
  constexpr std::uint64_t kGone = 1;  // no directory has inode 1
  for (int collection = 0; collection < 10; ++collection) {
    paths.NewCollection(t0 + std::chrono::seconds(15 * collection));
    EXPECT_EQ(paths.PathOf(kGone), std::nullopt);
  }
  EXPECT_EQ(paths.rescans(), 1u);
  paths.NewCollection(t0 + minutes(6));
  EXPECT_EQ(paths.PathOf(kGone), std::nullopt);
  EXPECT_EQ(paths.rescans(), 2u);
}

TEST_F(CgroupTreeTest, NamesFromDirectoriesAreSanitized) {
  fs::create_directories(root_ + "/rt-bad\xff\xfeutf.scope");
  std::set<std::string> paths;
  WalkCgroupTree(root_, [&](const std::string& path, std::uint64_t) {
    paths.insert(path);
  });
  EXPECT_TRUE(paths.count("/rt-bad\xEF\xBF\xBD\xEF\xBF\xBDutf.scope"));
}

}  // namespace
}  // namespace tcpstated
