// The daemon on recorded dumps: /metrics compared with tests/fixtures/*.prom.
// TCPSTATED_UPDATE_GOLDEN=1 rewrites the golden files; review the diff.
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "daemon_fixture.h"
#include "ss_counts.h"

namespace tcpstated::testing {
namespace {

// Masks values that change from run to run, and the commit built.
std::string Stable(const std::string& exposition) {
  static const std::regex kRevision(R"(revision="[^"]*")");
  std::istringstream lines(exposition);
  std::string line, out;
  while (std::getline(lines, line)) {
    line = std::regex_replace(line, kRevision, R"(revision="X")");
    for (const char* volatile_series : {"tcpstate_snapshot_age_seconds ",
                                        "tcpstate_collect_duration_seconds "}) {
      if (line.rfind(volatile_series, 0) == 0)
        line = volatile_series + std::string("X");
    }
    out += line + "\n";
  }
  return out;
}

std::string ReadText(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class GoldenTest : public DaemonTest,
                   public ::testing::WithParamInterface<const char*> {};

TEST_P(GoldenTest, MetricsOfARecordedDumpMatchTheGoldenFile) {
  const std::string fixtures = TCPSTATED_FIXTURES;
  const std::string name = GetParam();
  auto daemon =
      StartDaemon({"--collect.replay-dump", fixtures + "/" + name + ".dump",
                   "--collect.local-port-range", "32768 60999",
                   "--collect.interval", "1h"});
  const HttpResponse response = Scrape();
  ASSERT_EQ(response.status, 200);

  const std::string golden_path = fixtures + "/" + name + ".prom";
  if (std::getenv("TCPSTATED_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden_path) << Stable(response.body);
  }
  EXPECT_EQ(Stable(response.body), ReadText(golden_path))
      << "rerun with TCPSTATED_UPDATE_GOLDEN=1 to accept a deliberate change";

  const std::string exposition = TempPath("metrics.prom");
  std::ofstream(exposition) << response.body;
  const auto lint = RunCommand("promtool check metrics < " + exposition);
  EXPECT_EQ(lint.exit_code, 0) << lint.err;
  EXPECT_EQ(lint.out + lint.err, "") << "promtool must print nothing";
  std::remove(exposition.c_str());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, GoldenTest,
                         ::testing::Values("mixed-legacy", "mixed-ss"));

}  // namespace
}  // namespace tcpstated::testing
