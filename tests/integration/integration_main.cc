#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

// Integration tests build real sockets in private network namespaces
// (unshare(CLONE_NEWNET) per test), which takes root.
int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Listing the tests (ctest's discovery) needs no privilege.
  if (geteuid() != 0 && !::testing::GTEST_FLAG(list_tests)) {
    std::fprintf(stderr,
                 "integration tests need root: they create network "
                 "namespaces\n");
    return 1;
  }
  return RUN_ALL_TESTS();
}
