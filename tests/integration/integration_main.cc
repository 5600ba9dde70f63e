#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

// Integration tests build real sockets in private network namespaces
// (unshare(CLONE_NEWNET) per test), which takes root.
int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (geteuid() != 0) {
    std::fprintf(stderr,
                 "integration tests need root: they create network "
                 "namespaces\n");
    return 1;
  }
  return RUN_ALL_TESTS();
}
