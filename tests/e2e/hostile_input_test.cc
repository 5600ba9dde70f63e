// Bad input, table by table: every bad value or file named on the command
// line or in the config file gets one line naming it on stderr and exit 2
// (a failure to collect or to write: 1), never a hang, a crash or silent
// acceptance. Each command runs under `timeout`: 124 would be a hang.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon_fixture.h"
#include "ss_counts.h"

namespace tcpstated::testing {
namespace {

struct Case {
  std::string input;    // config text, or arguments
  int exit_code;        // expected
  std::string message;  // expected in the one stderr line
};

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "hostile-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
    fifo_ = dir_ + "/fifo";
    ASSERT_EQ(::mkfifo(fifo_.c_str(), 0600), 0);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `tcpstated ARGS` with a deadline and checks the outcome.
  void Expect(const std::string& args, const Case& c) {
    const auto result = RunCommand("timeout 10 " + kTcpstated + " " + args);
    ASSERT_NE(result.exit_code, 124) << "hangs: " << args;
    EXPECT_EQ(result.exit_code, c.exit_code) << args << "\n" << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos)
        << args << "\nwanted: " << c.message << "\ngot: " << result.err;
    EXPECT_EQ(CountOccurrences(result.err, "\n"), 1)
        << args << ": not one line: " << result.err;
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::string dir_, fifo_;
};

TEST_F(HostileInputTest, BadConfigValuesExitWithTwoNamingTheKey) {
  const std::vector<Case> cases = {
      {"collect.interval = \"nans\"\n", 2, "collect.interval: expected"},
      {"collect.interval = \"1e400s\"\n", 2, "collect.interval: expected"},
      {"collect.interval = \"-1s\"\n", 2, "collect.interval: expected"},
      {"collect.interval = \"infs\"\n", 2, "collect.interval: expected"},
      {"collect.interval = \"50ms\"\n", 2, "at least 100ms"},
      {"collect.interval = 15\n", 2,
       "line 1 column 20: collect.interval: expected a duration of at least "
       "100ms such as 250ms, 15s or 1m30s, got an integer"},
      {"web.timeout = \"0s\"\n", 2,
       "expected a duration of at least 1s such as 10s or 1m30s"},
      {"pileup.min-sockets = -1\n", 2,
       "pileup.min-sockets: expected a whole number from 1 to"},
      {"pileup.min-sockets = 18446744073709551616\n", 2, "line 1"},
      {"ports.max = 0200\n", 2, "line 1"},  // TOML: no leading zeros
      {"ports.max = \"200\"\n", 2,
       "ports.max: expected a whole number from 1 to 65536, got a string"},
      {"ports.max = 1.5\n", 2, "got a number"},
      {"time-wait.min-share = nan\n", 2,
       "time-wait.min-share: expected a fraction"},
      {"time-wait.min-share = 1.5\n", 2, "expected a fraction"},
      {"=\n", 2, "line 1"},
      {"ports.max = 10\n=\n", 2, "line 2"},
      {"help = true\n", 2, "\"help\" can only be given on the command line"},
      {"config.file = \"/etc/passwd\"\n", 2,
       "\"config.file\" can only be given on the command line"},
      {"help\n", 2, "line 1"},
      {"ports.max = 10\nports.max = 20\n", 2, "line 2"},
      {"web.listen-adress = [\":1\"]\n", 2,
       "unknown key \"web.listen-adress\""},
      {"[web]\nlisten-adress = [\":1\"]\n", 2,
       "line 2 column 1: unknown key \"web.listen-adress\""},
      {"pileup.close_wait.min-sockets = 5\n", 2,
       "\"pileup.close_wait.min-sockets\" was removed"},
      {"collect.netns = \"tcpstated-no-such-netns\"\n", 2,
       "collect.netns: cannot open network namespace"},
      {"log.level = \"loud\"\n", 2, "log.level: expected one of"},
      {"web.allow = [\"10.0.0.5/8\"]\n", 2, "web.allow: "},
      {"web.listen-address = \":10039\"\n", 2,
       "web.listen-address: expected a list of strings, got a string"},
      {std::string("ports.max = 1\0000\n", 16), 2, "line 1"},
  };
  for (const Case& c : cases) {
    const std::string path = Write("bad.conf", c.input);
    Expect("check-config " + path, c);
    Expect("run --config.file " + path, c);
  }
}

TEST_F(HostileInputTest, FilesThatAreNotFilesAreRefusedWithoutBlocking) {
  Write("netns.conf", "collect.netns = \"" + fifo_ + "\"\n");
  Write("replay.conf", "collect.replay-dump = \"" + fifo_ + "\"\n");
  const std::vector<std::pair<std::string, Case>> cases = {
      {"check-config " + fifo_, {"", 2, "is a FIFO, not a regular file"}},
      {"run --config.file " + fifo_, {"", 2, "is a FIFO, not a regular file"}},
      {"check-config /dev/zero", {"", 2, "is a character device"}},
      {"check-config /dev/urandom", {"", 2, "is a character device"}},
      {"check-config " + dir_, {"", 2, "is a directory"}},
      {"check-config ''", {"", 2, "the path is empty"}},
      {"check-config " + dir_ + "/missing", {"", 2, "No such file"}},
      {"check-config " + dir_ + "/netns.conf",
       {"", 2, "collect.netns: " + fifo_ + " is not a network namespace"}},
      {"check-config " + dir_ + "/replay.conf",
       {"", 2, "collect.replay-dump: " + fifo_ + " is a FIFO"}},
      {"report --collect.replay-dump " + fifo_,
       {"", 2, "collect.replay-dump: " + fifo_}},
      {"report --collect.netns " + fifo_,
       {"", 2, "is not a network namespace"}},
      {"report --record-dump ''", {"", 2, "--record-dump: dump file: empty"}},
      {"report --record-dump " + dir_ + "/netns.conf",
       {"", 2, "it exists (a regular file)"}},
  };
  for (const auto& [args, c] : cases) Expect(args, c);
}

TEST_F(HostileInputTest, ASymlinkIsNeverFollowedToCreateADump) {
  const std::string target = Write("precious", "keep me");
  const std::string link = dir_ + "/link";
  std::filesystem::create_symlink(target, link);
  Expect("report --record-dump " + link, {"", 2, "it exists"});
  std::filesystem::remove(link);
  std::filesystem::create_symlink(dir_ + "/not-yet", link);  // dangling
  Expect("report --record-dump " + link, {"", 2, "--record-dump"});
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/not-yet"));
  std::ifstream in(target);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "keep me");
}

TEST_F(HostileInputTest, AReportThatCannotBeWrittenExitsNonZero) {
  EXPECT_EQ(RunCommand("timeout 10 " + kTcpstated +
                       " report --format json >/dev/full")
                .exit_code,
            1);
  const auto result =
      RunCommand("timeout 10 " + kTcpstated + " report >/dev/full");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("No space left on device"), std::string::npos)
      << result.err;
}

TEST_F(HostileInputTest, ARecordedDumpIsPrivateAndStreamsToAPipe) {
  const std::string dump = dir_ + "/new.dump";
  ASSERT_EQ(RunCommand(kTcpstated + " report --record-dump " + dump).exit_code,
            0);
  struct stat st {};
  ASSERT_EQ(::stat(dump.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Through a pipe to another reader, then replayed.
  const auto piped =
      RunCommand(kTcpstated +
                 " report --record-dump /dev/fd/3 --format json "
                 "3>&1 >/dev/null | cat > " +
                 dir_ + "/piped.dump && " + kTcpstated +
                 " report --collect.replay-dump " + dir_ + "/piped.dump");
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
}

TEST_F(HostileInputTest, AByteOrderMarkAndDevNullAreFine) {
  const std::string bom = Write("bom.conf", "\xEF\xBB\xBFports.max = 100\n");
  EXPECT_EQ(RunCommand(kTcpstated + " check-config " + bom).exit_code, 0);
  EXPECT_EQ(RunCommand(kTcpstated + " check-config /dev/null").exit_code, 0);
}

}  // namespace
}  // namespace tcpstated::testing
