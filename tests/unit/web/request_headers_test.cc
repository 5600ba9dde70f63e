#include "web/request_headers.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

TEST(ParseBasicAuthorizationTest, DecodesUserAndPassword) {
  const auto c = ParseBasicAuthorization("Basic cHJvbWV0aGV1czpzZWNyZXQ=");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->user, "prometheus");
  EXPECT_EQ(c->password, "secret");
  EXPECT_TRUE(ParseBasicAuthorization("basic cHJvbWV0aGV1czpzZWNyZXQ="));
  // The password may hold colons.
  EXPECT_EQ(ParseBasicAuthorization("Basic YTpiOmM=")->password, "b:c");
}

// Regression: a NUL in the password was cut there by the old front.
TEST(ParseBasicAuthorizationTest, KeepsEveryByteOfThePassword) {
  const auto c = ParseBasicAuthorization("Basic YTpwAHg=");  // "a:p\0x"
  ASSERT_TRUE(c);
  EXPECT_EQ(c->password, std::string("p\0x", 3));
}

TEST(ParseBasicAuthorizationTest, RefusesWhatIsNotBasicAuth) {
  for (const char* bad :
       {"", "Basic", "Basic ", "Bearer abc", "Basic !!!!", "Basic cHJvbQ",
        "Basic cHJvbQ===", "Basic bm9jb2xvbg==", "Basic YQ=b"}) {
    EXPECT_FALSE(ParseBasicAuthorization(bad)) << bad;
  }
  EXPECT_FALSE(ParseBasicAuthorization("Basic " + std::string(5000, 'A')));
}

TEST(AcceptsGzipTest, FollowsQValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, gzip;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("GZIP"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000, *"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_TRUE(AcceptsGzip("gzip; q=0.001"));
}

}  // namespace
}  // namespace tcpstated
