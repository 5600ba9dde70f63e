#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/host/sysctls.h"
#include "tcpstated/model/collect_error.h"

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

TEST(ReadTcpSysctlsTest, ReadsWhatExistsAndSkipsTheRest) {
  const std::string root =
      ::testing::TempDir() + "/sysctl_" + std::to_string(getpid());
  std::filesystem::create_directories(root + "/ipv4");
  std::filesystem::create_directories(root + "/core");
  std::ofstream(root + "/ipv4/tcp_fin_timeout") << "60\n";
  std::ofstream(root + "/core/somaxconn") << "4096\n";
  std::ofstream(root + "/ipv4/ip_local_port_range") << "1024\t65535\n";
  const auto values = ReadTcpSysctls(root);
  std::filesystem::remove_all(root);
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0].name, "tcp_fin_timeout");
  EXPECT_EQ(values[0].value, 60);
  EXPECT_EQ(values[1].name, "somaxconn");
  EXPECT_EQ(values[2].name, "ip_local_port_range_low");
  EXPECT_EQ(values[2].value, 1024);
  EXPECT_EQ(values[3].value, 65535);
}

TEST(ReadTcpSysctlsTest, ThisNamespaceHasTheKnobs) {
  // 12 single values, tcp_mem's three, the port range's two.
  const auto values = ReadTcpSysctls();
  EXPECT_EQ(values.size(), 17u);
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
