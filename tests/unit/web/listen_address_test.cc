#include "tcpstated/web/listen_address.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace tcpstated {
namespace {

using Kind = ListenAddress::Kind;

TEST(ParseListenAddressTest, ReadsEveryForm) {
  auto a = ParseListenAddress(":10039");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, Kind::kDualStack);
  EXPECT_EQ(a[0].port, 10039);
  a = ParseListenAddress("127.0.0.1:80");
  EXPECT_EQ(a[0].kind, Kind::kIpv4);
  EXPECT_EQ(a[0].host, "127.0.0.1");
  a = ParseListenAddress("[::1]:0");
  EXPECT_EQ(a[0].kind, Kind::kIpv6);
  EXPECT_EQ(a[0].host, "::1");
  a = ParseListenAddress("[::]:9");
  EXPECT_EQ(a[0].host, "::");
  EXPECT_EQ(ParseListenAddress("localhost:9").size(), 2u);
}

// Regression: these passed check-config and then failed `run`.
TEST(ParseListenAddressTest, RefusesWhatItCannotListenOn) {
  for (const char* bad :
       {"garbage", "127.0.0.1:10070s", ":99999", ":", "example.com:80",
        "[::1:80", "::1:80", ":-1", "300.1.1.1:80", ":080"}) {
    EXPECT_THROW(ParseListenAddress(bad), std::invalid_argument) << bad;
  }
}

TEST(OpenListenerTest, DualStackTakesIpv4AndIpv6AndSaysWhere) {
  const UniqueFd fd = OpenListener(ParseListenAddress(":0")[0]);
  ASSERT_TRUE(fd);
  EXPECT_GT(ListenerPort(fd.get()), 0);
  EXPECT_EQ(DescribeListener(fd.get()).rfind("[::]:", 0), 0u);
}

TEST(OpenListenerTest, APortInUseIsAClearError) {
  const UniqueFd first = OpenListener(ParseListenAddress("127.0.0.1:0")[0]);
  const std::string taken =
      "127.0.0.1:" + std::to_string(ListenerPort(first.get()));
  try {
    OpenListener(ParseListenAddress(taken)[0]);
    FAIL();
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot listen on " + taken),
              std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("in use"), std::string::npos);
  }
}

}  // namespace
}  // namespace tcpstated
