#include "tcpstated/host/finding_tracer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stop_token>
#include <string>

#include "fake_proc.h"
#include "record_builders.h"
#include "tcpstated/count/collector.h"
#include "tcpstated/host/socket_holders.h"

namespace tcpstated {
namespace {

namespace fs = std::filesystem;
using testing::FakeProc;
using testing::Listener;
using testing::Record;
using testing::ScriptedSource;
using testing::Socket;

TEST(SocketInodeOfLinkTest, OnlySocketLinksHaveOne) {
  EXPECT_EQ(SocketInodeOfLink("socket:[12345]"), 12345u);
  EXPECT_EQ(SocketInodeOfLink("socket:[4294967295]"), 4294967295u);
  EXPECT_EQ(SocketInodeOfLink("socket:[4294967296]"), std::nullopt);
  EXPECT_EQ(SocketInodeOfLink("socket:[]"), std::nullopt);
  EXPECT_EQ(SocketInodeOfLink("socket:[12x]"), std::nullopt);
  EXPECT_EQ(SocketInodeOfLink("pipe:[12345]"), std::nullopt);
  EXPECT_EQ(SocketInodeOfLink("/tmp/socket:[1]"), std::nullopt);
}

TEST(FindSocketHoldersTest, CountsEachProcessesSocketsPerGroup) {
  FakeProc proc;
  proc.Process(100, "leaky-server",
               {"/dev/null", Socket(1), Socket(2), Socket(3), "pipe:[1]"});
  proc.Process(200, "nginx", {Socket(9), Socket(4)});
  // Forked after the sockets were made: shares socket 1 with pid 100.
  proc.Process(300, "leaky-worker", {Socket(1)});
  proc.Process(400, "bash", {"/dev/pts/0"});
  proc.Vanished(500);

  const InodeGroups inodes = {{1, 0b01}, {2, 0b01}, {3, 0b01}, {4, 0b10}};
  const SocketHolders holders = FindSocketHolders(inodes, 2, proc.root());
  ASSERT_EQ(holders.groups.size(), 2u);
  ASSERT_EQ(holders.groups[0].size(), 2u);
  EXPECT_EQ(holders.groups[0][0].pid, 100);
  EXPECT_EQ(holders.groups[0][0].command, "leaky-server");
  EXPECT_EQ(holders.groups[0][0].sockets, 3u);
  EXPECT_EQ(holders.groups[0][1].pid, 300);
  EXPECT_EQ(holders.groups[0][1].sockets, 1u);
  ASSERT_EQ(holders.groups[1].size(), 1u);
  EXPECT_EQ(holders.groups[1][0].command, "nginx");
  EXPECT_EQ(holders.groups[1][0].sockets, 1u);
  EXPECT_EQ(holders.groups[0][0].state, 'S');  // from /proc/PID/stat

  EXPECT_EQ(holders.stats.processes, 5u);
  EXPECT_EQ(holders.stats.fds, 9u);
  EXPECT_EQ(holders.stats.unreadable, 0u);  // a vanished one is not unreadable
  EXPECT_TRUE(holders.stats.complete);
}

TEST(FindSocketHoldersTest, StopsAtItsBoundAndSaysSo) {
  FakeProc proc;
  for (int pid = 1; pid <= 10; ++pid) {
    proc.Process(pid, "p", {Socket(static_cast<std::uint32_t>(pid))});
  }
  const InodeGroups inodes = {{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1},
                              {6, 1}, {7, 1}, {8, 1}, {9, 1}, {10, 1}};
  ProcessScanLimits limits;
  limits.max_fds = 3;
  const SocketHolders holders =
      FindSocketHolders(inodes, 1, proc.root(), limits);
  EXPECT_FALSE(holders.stats.complete);
  EXPECT_EQ(holders.stats.fds, 3u);
  EXPECT_EQ(holders.groups[0].size(), 3u);
}

// A daemon asked to stop must not finish a 3 s walk of /proc first.
TEST(FindSocketHoldersTest, AStopRequestEndsTheWalkAtOnce) {
  FakeProc proc;
  for (int pid = 1; pid <= 10; ++pid) {
    proc.Process(pid, "p", {Socket(static_cast<std::uint32_t>(pid))});
  }
  std::stop_source stop;
  stop.request_stop();
  ProcessScanLimits limits;
  limits.stop = stop.get_token();
  const SocketHolders holders =
      FindSocketHolders({{1, 1}}, 1, proc.root(), limits);
  EXPECT_FALSE(holders.stats.complete);
  EXPECT_EQ(holders.stats.processes, 0u);
}

// The scope orders the walk; it must never hide a holder that left the
// cgroup its sockets were made in.
TEST(FindSocketHoldersTest, ScopedProcessesFirstTheRestOnlyForUnfoundSockets) {
  FakeProc proc;
  const fs::path mount = fs::path(proc.root()) / "cgroup2";
  fs::create_directories(mount / "leaky.service");
  fs::create_directories(mount / "other.service");
  proc.Process(100, "leaky-server", {Socket(1), "/dev/null", Socket(2)});
  proc.InCgroup(100, "/leaky.service");
  proc.Process(200, "moved-out", {Socket(3)});
  proc.InCgroup(200, "/other.service");
  proc.Process(300, "bystander", {"/dev/null", "/dev/null"});
  proc.InCgroup(300, "/other.service");
  struct stat leaky {};
  ASSERT_EQ(::stat((mount / "leaky.service").c_str(), &leaky), 0);
  const CgroupScope scope{mount.string(), {leaky.st_ino}};

  const SocketHolders in_scope =
      FindSocketHolders({{1, 1}, {2, 1}}, 1, proc.root(), {}, &scope);
  ASSERT_EQ(in_scope.groups[0].size(), 1u);
  EXPECT_EQ(in_scope.groups[0][0].command, "leaky-server");
  EXPECT_EQ(in_scope.stats.fds, 3u);  // only the scoped process was read
  EXPECT_EQ(in_scope.stats.skipped, 2u);
  EXPECT_TRUE(in_scope.stats.complete);

  const SocketHolders beyond =
      FindSocketHolders({{1, 1}, {3, 1}}, 1, proc.root(), {}, &scope);
  ASSERT_EQ(beyond.groups[0].size(), 2u);
  EXPECT_EQ(beyond.groups[0][1].command, "moved-out");
  EXPECT_LE(beyond.stats.skipped, 1u);  // the bystander, if its turn was last
}

TEST(FindSocketHoldersTest, NothingToLookForWalksNothing) {
  const SocketHolders holders = FindSocketHolders({}, 1, "/nonexistent");
  EXPECT_EQ(holders.stats.processes, 0u);
  EXPECT_TRUE(holders.stats.complete);
  ASSERT_EQ(holders.groups.size(), 1u);
  EXPECT_TRUE(holders.groups[0].empty());
}

TEST(DescribeProcessesTest, ListsTheBusiestThenHowManyMore) {
  EXPECT_EQ(DescribeProcesses({}), "");
  EXPECT_EQ(DescribeProcesses({{42, "a", 120, 'S'}, {43, "b", 3, 'T'}}),
            "a[42] (120), b[43] (3, stopped)");
  EXPECT_EQ(DescribeProcesses(
                {{1, "a", 4, 'R'}, {2, "b", 3, 'R'}, {3, "c", 2, 'R'}}, 1),
            "a[1] (4) and 2 more");
}

using testing::MakeFinding;
using testing::WithInode;

TEST(ProcessStateOfStatTest, ReadsTheStateAfterTheLastParenthesis) {
  EXPECT_EQ(ProcessStateOfStat("4242 (memcached) T 1 4242 4242"), 'T');
  EXPECT_EQ(ProcessStateOfStat("7 (a) b) (c) S 1"), 'S');
  EXPECT_EQ(ProcessStateOfStat("7 (x)"), '?');
  EXPECT_EQ(ProcessStateOfStat(""), '?');
}

TEST(FindingTracerTest, EachRoleIsTracedThroughItsOwnSockets) {
  // Port 8080 leaks CLOSE_WAIT: its holders. Port 443 piles up TIME_WAIT,
  // whose sockets have no file: its listener's holders. 6379 is a
  // destination whose ports run out: the clients' sockets toward it.
  SocketRecord toward =
      WithInode(Record(TcpState::kEstablished, 40010, 6379), 30);
  toward.remote_address = {10, 77, 0, 1};
  SocketRecord time_wait = Record(TcpState::kTimeWait, 40011, 6379);
  time_wait.remote_address = {10, 77, 0, 1};
  SocketRecord fin_unread =
      WithInode(Record(TcpState::kCloseWait, 8080, 40002), 12);
  fin_unread.rqueue = 1;  // the peer's FIN, never read
  const std::vector<SocketRecord> records = {
      WithInode(Listener(8080, 0, 128), 10),
      WithInode(Record(TcpState::kCloseWait, 8080, 40001), 11),
      fin_unread,
      // CLOSE_WAIT toward another service: not part of port 8080's.
      WithInode(Record(TcpState::kCloseWait, 40003, 5432), 13),
      WithInode(Listener(443, 0, 128), 20),
      toward,
      time_wait,
  };
  ScriptedSource source(records);
  const Snapshot snapshot = Collect(source, {}).snapshot;
  Finding leak =
      MakeFinding(FindingKind::kCloseWait, Direction::kInbound, 8080, 2);
  Finding churn =
      MakeFinding(FindingKind::kTimeWait, Direction::kInbound, 443, 900);
  Finding ports =
      MakeFinding(FindingKind::kPortExhaustion, Direction::kOutbound, 6379, 2);
  ports.destination = AddressCount{Family::kIpv4, toward.remote_address, 2};

  FakeProc proc;
  proc.Process(7, "leaky-server", {Socket(10), Socket(11), Socket(12)}, 'T');
  proc.Process(8, "db-client", {Socket(13)});
  proc.Process(9, "nginx", {Socket(20)});
  proc.Process(10, "redis-benchmark", {Socket(30)});
  FindingTracer tracer("");
  ScriptedSource trace(records);
  tracer.Add(trace, snapshot, {&leak, &churn, &ports});
  const ProcessScanStats stats = tracer.Resolve(proc.root());
  EXPECT_EQ(stats.processes, 4u);

  ASSERT_EQ(leak.evidence.processes.size(), 1u);
  EXPECT_EQ(leak.evidence.processes[0].command, "leaky-server");
  EXPECT_EQ(leak.evidence.processes[0].sockets, 2u);  // not its listener
  EXPECT_EQ(leak.evidence.processes[0].state, 'T');
  EXPECT_EQ(leak.evidence.sockets, 2u);
  EXPECT_EQ(leak.evidence.fin_unread, 1u);
  ASSERT_EQ(churn.evidence.processes.size(), 1u);
  EXPECT_EQ(churn.evidence.processes[0].command, "nginx");
  ASSERT_EQ(ports.evidence.processes.size(), 1u);
  EXPECT_EQ(ports.evidence.processes[0].command, "redis-benchmark");
  EXPECT_EQ(ports.evidence.sockets, 2u);
  EXPECT_EQ(ports.evidence.orphans, 1u);  // the TIME_WAIT one
}

TEST(FindingTracerTest, FindingsOfSeveralNamespacesTakeOneWalk) {
  // Two namespaces, each leaking CLOSE_WAIT on its own port 8080: the same
  // port, different sockets, different processes.
  const std::vector<SocketRecord> blue = {
      WithInode(Listener(8080, 0, 128), 30),
      WithInode(Record(TcpState::kCloseWait, 8080, 40001), 31),
  };
  const std::vector<SocketRecord> green = {
      WithInode(Listener(8080, 0, 128), 40),
      WithInode(Record(TcpState::kCloseWait, 8080, 40001), 41),
      WithInode(Record(TcpState::kCloseWait, 8080, 40002), 42),
  };
  ScriptedSource blue_dump(blue), green_dump(green);
  const Snapshot blue_snapshot = Collect(blue_dump, {}).snapshot;
  const Snapshot green_snapshot = Collect(green_dump, {}).snapshot;
  Finding blue_leak =
      MakeFinding(FindingKind::kCloseWait, Direction::kInbound, 8080, 1);
  Finding green_leak =
      MakeFinding(FindingKind::kCloseWait, Direction::kInbound, 8080, 2);

  FakeProc proc;
  proc.Process(10, "blue-app", {Socket(30), Socket(31)});
  proc.Process(20, "green-app", {Socket(40), Socket(41), Socket(42)});
  FindingTracer tracer("");
  tracer.Add(blue_dump, blue_snapshot, {&blue_leak});
  tracer.Add(green_dump, green_snapshot, {&green_leak});
  const ProcessScanStats stats = tracer.Resolve(proc.root());
  EXPECT_EQ(stats.processes, 2u);  // each process looked at once
  ASSERT_EQ(blue_leak.evidence.processes.size(), 1u);
  EXPECT_EQ(blue_leak.evidence.processes[0].command, "blue-app");
  EXPECT_EQ(blue_leak.evidence.processes[0].sockets, 1u);
  ASSERT_EQ(green_leak.evidence.processes.size(), 1u);
  EXPECT_EQ(green_leak.evidence.processes[0].command, "green-app");
  EXPECT_EQ(green_leak.evidence.processes[0].sockets, 2u);
}

}  // namespace
}  // namespace tcpstated
