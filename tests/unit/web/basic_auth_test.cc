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

// The cache key holds the stored hash: a reload that keeps a user's hash
// keeps its remembered passwords, a changed hash forgets them.
TEST(BasicAuthTest, CacheKeysSurviveAReloadOnlyWithTheSameHash) {
  const std::string hash = Bcrypt("wonder");
  const auto before = BasicAuth::Load({{"alice", hash}});
  const auto same = BasicAuth::Load({{"alice", hash}, {"bob", Bcrypt("b")}});
  const auto changed = BasicAuth::Load({{"alice", Bcrypt("wonder")}});
  const BasicCredentials right{"alice", "wonder"};
  EXPECT_EQ(before->CacheKey(right), same->CacheKey(right));
  EXPECT_NE(before->CacheKey(right), changed->CacheKey(right));
  EXPECT_NE(before->CacheKey(right), before->CacheKey({"alice", "wonder2"}));
}

TEST(BasicAuthTest, RefusesNamesThatCanNeverLogIn) {
  EXPECT_THROW(BasicAuth::Load({{"", Bcrypt("x")}}), WebConfigError);
  try {
    BasicAuth::Load({{"a:b", Bcrypt("x")}});
    ADD_FAILURE() << "a name with ':' was accepted";
  } catch (const WebConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("\"a:b\""), std::string::npos)
        << error.what();
  }
}

// Regression: cost 31 passed check-config, and an unknown user then cost
// a day of bcrypt.
TEST(BasicAuthTest, RefusesCostsAboveTheBoundNamingTheUser) {
  std::string cost13 = Bcrypt("x");
  cost13.replace(4, 2, "13");
  std::string cost31 = Bcrypt("x");
  cost31.replace(4, 2, "31");
  for (const std::string& hash : {cost13, cost31}) {
    try {
      BasicAuth::Load({{"ok", Bcrypt("y")}, {"heavy", hash}});
      ADD_FAILURE() << hash;
    } catch (const WebConfigError& error) {
      const std::string what = error.what();
      EXPECT_NE(what.find("\"heavy\""), std::string::npos) << what;
      EXPECT_NE(what.find("above the highest accepted, 12"), std::string::npos)
          << what;
    }
  }
  std::string cost12 = Bcrypt("x");
  cost12.replace(4, 2, "12");
  EXPECT_NO_THROW(BasicAuth::Load({{"u", cost12}}));
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
