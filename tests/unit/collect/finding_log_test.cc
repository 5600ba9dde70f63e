// What the daemon logs as findings start, change and end: pure lines.
#include "tcpstated/collect/finding_log.h"

#include <gtest/gtest.h>

#include "record_builders.h"
#include "tcpstated/detect/explain.h"

namespace tcpstated {
namespace {

using testing::MakeFinding;

Finding Leak(std::uint16_t port, int pid = 42, char state = 'S') {
  Finding f =
      MakeFinding(FindingKind::kCloseWait, Direction::kInbound, port, 100);
  f.evidence.traced = true;
  f.evidence.sockets = 100;
  f.evidence.processes = {{pid, "leaky", 100, state}};
  Explain(f, Snapshot{});
  return f;
}

std::string Join(const std::vector<LogLine>& lines) {
  std::string out;
  for (const LogLine& line : lines) out += line.text + "\n";
  return out;
}

TEST(FindingChangeLinesTest, AStartingFindingIsOneWarningWithWhoAndWhy) {
  const auto lines = FindingChangeLines({}, {Leak(8080)}, Snapshot{}, "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].level, LogLevel::kWarn);
  EXPECT_EQ(lines[0].text.rfind("finding: CLOSE_WAIT pileup: inbound port 8080 "
                                "(100 sockets (50% of all)); holding: "
                                "leaky[42] (100): leaky[42] reads the end",
                                0),
            0u)
      << lines[0].text;
  EXPECT_NE(lines[0].text.find(". Check: "), std::string::npos);
}

TEST(FindingChangeLinesTest, ACriticalFindingIsAnErrorAndSaysWhere) {
  Finding full =
      MakeFinding(FindingKind::kAcceptQueue, Direction::kInbound, 80, 9);
  full.severity = Severity::kCritical;
  full.limit = 8;
  Explain(full, Snapshot{});
  const auto lines =
      FindingChangeLines({}, {full}, Snapshot{}, " in netns blue");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].level, LogLevel::kError);
  EXPECT_NE(lines[0].text.find("inbound port 80 in netns blue (9 waiting"),
            std::string::npos)
      << lines[0].text;
}

TEST(FindingChangeLinesTest, OneProgramOnManyPortsIsOneLineThenSpreads) {
  std::vector<Finding> half, all;
  for (std::uint16_t p = 7100; p < 7130; ++p) {
    (p < 7115 ? half : all).push_back(Leak(p));
  }
  all.insert(all.begin(), half.begin(), half.end());
  const auto first = FindingChangeLines({}, half, Snapshot{}, "");
  ASSERT_EQ(first.size(), 1u) << Join(first);
  EXPECT_NE(first[0].text.find("ports 7100-7114 (15 ports)"),
            std::string::npos);
  const auto then = FindingChangeLines(half, all, Snapshot{}, "");
  ASSERT_EQ(then.size(), 1u) << Join(then);
  EXPECT_EQ(then[0].level, LogLevel::kInfo);
  EXPECT_NE(then[0].text.find("finding spreads: CLOSE_WAIT pileup: inbound "
                              "ports 7115-7129 (15 ports) too; now ports "
                              "7100-7129 (30 ports), 3000 sockets"),
            std::string::npos)
      << then[0].text;
  EXPECT_TRUE(FindingChangeLines(all, all, Snapshot{}, "").empty())
      << "nothing changed, nothing said";
}

TEST(FindingChangeLinesTest, AChangedCauseOrSeverityIsOneLine) {
  const auto lines =
      FindingChangeLines({Leak(8080)}, {Leak(8080, 42, 'T')}, Snapshot{}, "");
  ASSERT_EQ(lines.size(), 1u) << Join(lines);
  EXPECT_EQ(lines[0].text.rfind("finding changed, now warning: CLOSE_WAIT", 0),
            0u)
      << lines[0].text;
  EXPECT_NE(lines[0].text.find("is stopped"), std::string::npos);
}

TEST(FindingChangeLinesTest, EndedFindingsAreOneLinePerKindAndDirection) {
  const auto lines = FindingChangeLines({Leak(8080), Leak(8081), Leak(9090, 7)},
                                        {}, Snapshot{}, "");
  ASSERT_EQ(lines.size(), 1u) << Join(lines);
  EXPECT_EQ(lines[0].level, LogLevel::kInfo);
  EXPECT_EQ(lines[0].text,
            "finding ended: CLOSE_WAIT pileup: inbound ports 8080-8081, 9090 "
            "(3 ports)");
}

}  // namespace
}  // namespace tcpstated
