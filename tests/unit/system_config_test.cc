#include "tcpstated/system_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "tcpstated/collect_error.h"

namespace tcpstated {
namespace {

TEST(ParsePortRangeTest, ReadsTheProcFormat) {
  EXPECT_EQ(ParsePortRange("32768\t60999\n"), (PortRange{32768, 60999}));
  EXPECT_EQ(ParsePortRange("1024 65535"), (PortRange{1024, 65535}));
}

TEST(ParsePortRangeTest, RejectsNonsense) {
  EXPECT_EQ(ParsePortRange(""), std::nullopt);
  EXPECT_EQ(ParsePortRange("32768"), std::nullopt);
  EXPECT_EQ(ParsePortRange("60999 32768"), std::nullopt);
  EXPECT_EQ(ParsePortRange("1 70000"), std::nullopt);
  EXPECT_EQ(ParsePortRange("1 2 3"), std::nullopt);
  EXPECT_EQ(ParsePortRange("a b"), std::nullopt);
}

TEST(ReadLocalPortRangeTest, ReadsThisNamespacesRange) {
  const PortRange range = ReadLocalPortRange();
  EXPECT_LE(range.low, range.high);
}

TEST(ReadLocalPortRangeTest, MissingOrGarbledFileIsAnIoError) {
  EXPECT_THROW(ReadLocalPortRange("/nonexistent/ip_local_port_range"),
               CollectError);
  const std::string path = ::testing::TempDir() + "/garbled_range";
  std::ofstream(path) << "not a range\n";
  EXPECT_THROW(ReadLocalPortRange(path), CollectError);
  std::remove(path.c_str());
}

TEST(EnterNetnsTest, UnknownNameIsANamespaceError) {
  try {
    EnterNetns("tcpstated-no-such-namespace");
    FAIL();
  } catch (const CollectError& error) {
    EXPECT_EQ(error.reason(), CollectErrorReason::kNamespace);
    EXPECT_NE(std::string(error.what()).find("/run/netns/"), std::string::npos);
  }
}

}  // namespace
}  // namespace tcpstated
