#include "tcpstated/export/password_file.h"

#include <crypt.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace tcpstated {
namespace {

std::string Bcrypt(const char* password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn("$2b$", 5, nullptr, 0, salt, sizeof salt),
            nullptr);
  crypt_data data{};
  return crypt_r(password, salt, &data);
}

class PasswordFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_ =
      ::testing::TempDir() + "/users_" + std::to_string(getpid());
};

TEST_F(PasswordFileTest, AcceptsOnlyTheRightUserAndPassword) {
  const auto users =
      PasswordFile::Load(Write("# comment\n\nalice:" + Bcrypt("wonder") +
                               "\nbob:" + Bcrypt("builder") + "\n"));
  EXPECT_EQ(users.size(), 2u);
  EXPECT_TRUE(users.Check("alice", "wonder"));
  EXPECT_TRUE(users.Check("bob", "builder"));
  EXPECT_FALSE(users.Check("alice", "builder"));
  EXPECT_FALSE(users.Check("alice", ""));
  EXPECT_FALSE(users.Check("carol", "wonder"));
}

TEST_F(PasswordFileTest, RejectsLinesThatAreNotUserColonHash) {
  for (const std::string bad : {"alice\n", "alice:plaintext\n", ":$2b$05$x\n",
                                "alice:$9$nonsense\n", "# only comments\n"}) {
    EXPECT_THROW(PasswordFile::Load(Write(bad)), std::runtime_error) << bad;
  }
  EXPECT_THROW(PasswordFile::Load("/nonexistent/users"), std::runtime_error);
}

TEST_F(PasswordFileTest, ErrorNamesTheLine) {
  try {
    PasswordFile::Load(Write("alice:" + Bcrypt("x") + "\nbroken\n"));
    FAIL();
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("line 2"), std::string::npos);
  }
}

}  // namespace
}  // namespace tcpstated
