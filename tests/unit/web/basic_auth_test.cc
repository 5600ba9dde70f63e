#include "web/basic_auth.h"

#include <crypt.h>
#include <gtest/gtest.h>

#include "tcpstated/web/web_config.h"

namespace tcpstated {
namespace {

std::string Bcrypt(const char* password, int cost = 5) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr,
                             0, salt, sizeof salt),
            nullptr);
  crypt_data data{};
  return crypt_r(password, salt, &data);
}

TEST(BasicAuthTest, LetsInOnlyTheRightUserAndPassword) {
  const auto auth = BasicAuth::Load(
      {{"alice", Bcrypt("wonder")}, {"bob", Bcrypt("builder")}});
  EXPECT_TRUE(auth->Verify({"alice", "wonder"}));
  EXPECT_TRUE(auth->Verify({"bob", "builder"}));
  EXPECT_FALSE(auth->Verify({"alice", "builder"}));
  EXPECT_FALSE(auth->Verify({"alice", ""}));
  EXPECT_FALSE(auth->Verify({"carol", "wonder"}));
}

// htpasswd -B writes $2y$, Go's bcrypt $2a$: both work unchanged.
TEST(BasicAuthTest, AcceptsTheHashesHtpasswdAndGoWrite) {
  std::string y = Bcrypt("pw");
  y[2] = 'y';
  std::string a = Bcrypt("pw");
  a[2] = 'a';
  const auto auth = BasicAuth::Load({{"y", y}, {"a", a}});
  EXPECT_TRUE(auth->Verify({"y", "pw"}));
  EXPECT_TRUE(auth->Verify({"a", "pw"}));
}

TEST(BasicAuthTest, APasswordWithANulByteNeverMatches) {
  const auto auth = BasicAuth::Load({{"alice", Bcrypt("pass")}});
  EXPECT_FALSE(auth->Verify({"alice", std::string("pass\0more", 9)}));
}

TEST(BasicAuthTest, SuccessesAreCachedFailuresAreNot) {
  const auto auth = BasicAuth::Load({{"alice", Bcrypt("wonder")}});
  EXPECT_FALSE(auth->Cached({"alice", "wonder"}));
  EXPECT_FALSE(auth->Verify({"alice", "nope"}));
  EXPECT_FALSE(auth->Cached({"alice", "nope"}));
  EXPECT_TRUE(auth->Verify({"alice", "wonder"}));
  EXPECT_TRUE(auth->Cached({"alice", "wonder"}));
  EXPECT_FALSE(auth->Cached({"alice", "wonder2"}));
  // A new object (a reload) starts with an empty cache.
  EXPECT_FALSE(BasicAuth::Load({{"alice", Bcrypt("wonder")}})
                   ->Cached({"alice", "wonder"}));
}

// Regression: hashes with a bad cost passed check-config and locked
// everyone out.
TEST(BasicAuthTest, RefusesHashesThatWouldLockEveryoneOut) {
  std::string cost3 = Bcrypt("x");
  cost3.replace(4, 2, "03");
  std::string cost32 = Bcrypt("x");
  cost32.replace(4, 2, "32");
  for (const std::string& bad :
       {std::string("plaintext"), std::string("$1$salt$hash"), cost3, cost32,
        Bcrypt("x").substr(0, 50), std::string("$6$rounds=5000$salt$x")}) {
    EXPECT_THROW(BasicAuth::Load({{"u", bad}}), WebConfigError) << bad;
  }
}

}  // namespace
}  // namespace tcpstated
