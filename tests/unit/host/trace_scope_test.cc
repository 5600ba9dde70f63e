// Tracing a finding to its processes: through its own sockets for states a
// program holds, walking first the processes of the cgroups that made them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "fake_proc.h"
#include "record_builders.h"
#include "tcpstated/count/collector.h"
#include "tcpstated/diag/kernel_states.h"
#include "tcpstated/host/finding_tracer.h"

namespace tcpstated {
namespace {

namespace fs = std::filesystem;
using testing::FakeProc;
using testing::ScriptedSource;
using testing::Socket;

// A client of a dead upstream (SYN_SENT toward 5432) in client.service,
// and a process with many descriptors in another cgroup.
class TraceScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mount_ = fs::path(proc_.root()) / "cgroup2";
    fs::create_directories(mount_ / "client.service");
    fs::create_directories(mount_ / "big.service");
    struct stat client {};
    ASSERT_EQ(::stat((mount_ / "client.service").c_str(), &client), 0);
    client_cgroup_ = client.st_ino;
    proc_.Process(7, "api-client", {Socket(50), "/dev/null", Socket(51)});
    proc_.InCgroup(7, "/client.service");
    proc_.Process(8, "big", std::vector<std::string>(20, "/dev/null"));
    proc_.InCgroup(8, "/big.service");
  }

  SocketRecord Connecting(std::uint16_t local, std::uint32_t inode,
                          std::uint64_t cgroup) const {
    SocketRecord r = testing::Record(TcpState::kSynSent, local, 5432);
    r.inode = inode;
    r.cgroup_id = cgroup;
    return r;
  }

  // Traces one SYN_SENT finding on outbound port 5432 through `records`.
  ProcessScanStats Trace(const std::vector<SocketRecord>& records,
                         Finding& finding) {
    ScriptedSource source(records);
    const Snapshot snapshot = Collect(source, {}).snapshot;
    finding = testing::MakeFinding(FindingKind::kSynSent, Direction::kOutbound,
                                   5432, records.size(), 1.0);
    EXPECT_EQ(KernelStatesToTrace({&finding}),
              KernelStateBits(TcpState::kSynSent));
    FindingTracer tracer(mount_.string());
    ScriptedSource dump(records);
    tracer.Add(dump, snapshot, {&finding});
    return tracer.Resolve(proc_.root());
  }

  FakeProc proc_;
  fs::path mount_;
  std::uint64_t client_cgroup_ = 0;
};

TEST_F(TraceScopeTest, HoldersAreFoundInTheSocketsCgroupWithoutReadingOthers) {
  Finding f;
  const ProcessScanStats stats = Trace({Connecting(40001, 50, client_cgroup_),
                                        Connecting(40002, 51, client_cgroup_)},
                                       f);
  ASSERT_EQ(f.evidence.processes.size(), 1u);
  EXPECT_EQ(f.evidence.processes[0].command, "api-client");
  EXPECT_EQ(f.evidence.processes[0].sockets, 2u);
  EXPECT_EQ(stats.fds, 3u);  // big's 20 descriptors never read
  EXPECT_EQ(stats.skipped, 1u);
}

TEST_F(TraceScopeTest, ASocketWithoutACgroupIdWidensTheWalkToEveryProcess) {
  Finding f;
  const ProcessScanStats stats = Trace(
      {Connecting(40001, 50, client_cgroup_), Connecting(40002, 51, 0)}, f);
  ASSERT_EQ(f.evidence.processes.size(), 1u);
  EXPECT_EQ(f.evidence.processes[0].sockets, 2u);
  EXPECT_EQ(stats.fds, 23u);
  EXPECT_EQ(stats.skipped, 0u);
}

}  // namespace
}  // namespace tcpstated
