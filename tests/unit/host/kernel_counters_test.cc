#include "tcpstated/host/kernel_counters.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tcpstated {
namespace {

TEST(ParseCounterTableTest, PairsNameLinesWithValueLines) {
  const auto t = ParseCounterTable(
      "TcpExt: SyncookiesSent TW ListenOverflows\n"
      "TcpExt: 3 7940 12\n"
      "Tcp: RtoAlgorithm MaxConn ActiveOpens\n"
      "Tcp: 1 -1 8029\n");
  EXPECT_EQ(t.at("TcpExt.ListenOverflows"), 12u);
  EXPECT_EQ(t.at("TcpExt.TW"), 7940u);
  EXPECT_EQ(t.at("Tcp.ActiveOpens"), 8029u);
  EXPECT_FALSE(t.contains("Tcp.MaxConn")) << "negative: left out";
}

TEST(ParseCounterTableTest, AMismatchedPairIsSkippedNotGuessed) {
  const auto t =
      ParseCounterTable("TcpExt: A B C\nTcpExt: 1 2\nIpExt: X\nIpExt: 5\n");
  EXPECT_FALSE(t.contains("TcpExt.A"));
  EXPECT_EQ(t.at("IpExt.X"), 5u);
  EXPECT_TRUE(ParseCounterTable("").empty());
  EXPECT_TRUE(ParseCounterTable("garbage\n").empty());
}

TEST(ParseSockstatTest, ReadsTheTcpLine) {
  const auto s = ParseSockstat(
      "sockets: used 8\nTCP: inuse 5 orphan 2 tw 7 alloc 6 mem 179\n"
      "UDP: inuse 0 mem 0\n");
  EXPECT_EQ(s.at("orphan"), 2u);
  EXPECT_EQ(s.at("mem"), 179u);
  EXPECT_EQ(s.at("tw"), 7u);
}

class ReadKernelCountersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "proc-net-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }
  std::string dir_;
};

TEST_F(ReadKernelCountersTest, SumsTheFieldsAndLeavesMissingOnesAbsent) {
  // An older kernel: no TCPTimeWaitOverflow, no TCPAbortFailed.
  Write("netstat",
        "TcpExt: TW TWKilled TWRecycled ListenOverflows ListenDrops\n"
        "TcpExt: 100 5 7 3 4\n");
  Write("snmp", "Tcp: ActiveOpens OutRsts\nTcp: 10 2\n");
  Write("sockstat", "TCP: inuse 1 orphan 9 tw 0 alloc 1 mem 44\n");
  const KernelCounters c = ReadKernelCounters(dir_);
  EXPECT_EQ(Get(c, KernelCounter::kTimeWaitsEntered), 105u);
  EXPECT_EQ(Get(c, KernelCounter::kTimeWaitsReused), 7u);
  EXPECT_EQ(Get(c, KernelCounter::kListenOverflows), 3u);
  EXPECT_EQ(Get(c, KernelCounter::kActiveOpens), 10u);
  EXPECT_EQ(Get(c, KernelCounter::kOrphans), 9u);
  EXPECT_EQ(Get(c, KernelCounter::kMemoryPages), 44u);
  EXPECT_EQ(Get(c, KernelCounter::kTimeWaitOverflows), std::nullopt);
  EXPECT_EQ(Get(c, KernelCounter::kAbortFailed), std::nullopt);
}

TEST_F(ReadKernelCountersTest, NoFilesNoCounters) {
  const KernelCounters c = ReadKernelCounters(dir_ + "/nothing");
  for (const auto& value : c) EXPECT_FALSE(value);
}

TEST(ReadKernelCountersLiveTest, ThisKernelHasTheClassicCounters) {
  const KernelCounters c = ReadKernelCounters();
  EXPECT_TRUE(Get(c, KernelCounter::kListenOverflows));
  EXPECT_TRUE(Get(c, KernelCounter::kActiveOpens));
  EXPECT_TRUE(Get(c, KernelCounter::kOrphans));
}

}  // namespace
}  // namespace tcpstated
