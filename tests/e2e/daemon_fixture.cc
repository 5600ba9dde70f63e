#include "daemon_fixture.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "socket_scenario.h"

namespace tcpstated::testing {

std::optional<double> SampleValue(const std::string& exposition,
                                  const std::string& series) {
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() &&
        line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

int CountOccurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

void DaemonTest::SetUp() { EnterPrivateNetns(); }

std::unique_ptr<ChildProcess> DaemonTest::StartDaemon(
    std::vector<std::string> args) {
  std::vector<std::string> argv = {kTcpstated, "run", "--web.listen-address",
                                   "127.0.0.1:" + std::to_string(kPort)};
  // Keep the host's /etc/tcpstated out of tests unless one names a file.
  if (std::find(args.begin(), args.end(), "--config.file") == args.end()) {
    argv.insert(argv.end(), {"--config.file", "/dev/null"});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  auto daemon = std::make_unique<ChildProcess>(argv);
  const bool up = WaitFor(
      [&] {
        const auto r = Scrape();
        return r.status == 200 &&
               r.body.find("tcpstate_sockets{") != std::string::npos;
      },
      std::chrono::seconds(10));
  EXPECT_TRUE(up) << "daemon did not serve a snapshot: " << daemon->Stderr();
  return daemon;
}

std::string DaemonTest::TempPath(const std::string& name) const {
  std::string test =
      ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(test.begin(), test.end(), '/', '_');  // parameterized tests
  return ::testing::TempDir() + "/" + test + "_" + std::to_string(getpid()) +
         "_" + name;
}

std::string DaemonTest::WriteFile(const std::string& name,
                                  const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path) << text;
  created_.push_back(path);
  return path;
}

void DaemonTest::TearDown() {
  for (const auto& path : created_) std::filesystem::remove(path);
}

}  // namespace tcpstated::testing
