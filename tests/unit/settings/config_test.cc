// The config file (TOML, through the option table) and the command line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "settings/toml_guard.h"
#include "tcpstated/settings/command_line.h"
#include "tcpstated/settings/config_file.h"
#include "tcpstated/settings/options.h"

namespace tcpstated {
namespace {

Config Parse(const std::string& text) {
  Config config;
  ApplyConfigText(text, "t.conf", config);
  return config;
}

std::string Problem(const std::string& text) {
  try {
    Parse(text);
  } catch (const ConfigProblem& problem) {
    return problem.what();
  }
  return "(accepted)";
}

std::string ShippedConfig() {
  std::ifstream file(TCPSTATED_SOURCE_DIR "/config/tcpstated.conf");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The shipped file says its values are the defaults: they are.
TEST(ConfigFileTest, TheShippedFileHoldsTheBinarysDefaults) {
  const std::string text = ShippedConfig();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(DescribeConfig(Parse(text)), DescribeConfig(Config{}));
  // And documents every key there is.
  for (const OptionSpec& spec : AllOptions()) {
    if (spec.scope == Scope::kReport) continue;  // flags, not keys
    EXPECT_NE(text.find("\n" + spec.key + " = "), std::string::npos)
        << spec.key << " is not in config/tcpstated.conf";
  }
}

TEST(ConfigFileTest, TablesAndDottedKeysAreTheSame) {
  const Config dotted =
      Parse("web.timeout = \"20s\"\nfindings.for = \"1m30s\"\n");
  const Config tables =
      Parse("[web]\ntimeout = \"20s\"\n[findings]\nfor = \"1m30s\"\n");
  EXPECT_EQ(DescribeConfig(dotted), DescribeConfig(tables));
  EXPECT_EQ(dotted.rules.hold, std::chrono::seconds(90));
  EXPECT_EQ(dotted.web.timeout, std::chrono::seconds(20));
}

TEST(ConfigFileTest, TheParserChecksTypesAndSaysWhere) {
  EXPECT_EQ(Problem("ports.max = \"200\"\n"),
            "config file t.conf line 1 column 13: ports.max: expected a whole "
            "number from 1 to 65536, got a string");
  EXPECT_EQ(Problem("\n\ncollect.interval = 15\n"),
            "config file t.conf line 3 column 20: collect.interval: expected "
            "a duration of at least 100ms such as 250ms, 15s or 1m30s, got an "
            "integer");
  EXPECT_EQ(Problem("web.allow = \"10.0.0.0/8\"\n"),
            "config file t.conf line 1 column 13: web.allow: expected a list "
            "of strings, got a string");
  EXPECT_NE(Problem("ports.max = 10\nports.max = 20\n").find("line 2"),
            std::string::npos);
}

TEST(ConfigFileTest, TheFirstMistakeInTheFileIsTheOneTold) {
  // toml++ keeps keys sorted; the file's order is what people read.
  EXPECT_NE(Problem("web.zzz = 1\nweb.aaa = 2\n").find("\"web.zzz\""),
            std::string::npos);
}

TEST(ConfigFileTest, KeysOfTheLastReleaseSayWhatReplacedThem) {
  const std::string problem = Problem("pileup.close_wait.for = 4\n");
  EXPECT_NE(problem.find("\"pileup.close_wait.for\" was removed"),
            std::string::npos)
      << problem;
  EXPECT_NE(problem.find("findings.for (a duration)"), std::string::npos);
  EXPECT_NE(Problem("stall.unread.min-sockets = 5\n").find("stall.min-sockets"),
            std::string::npos);
  EXPECT_NE(Problem("colect.interval = \"1s\"\n").find("unknown key"),
            std::string::npos);
}

TEST(ConfigFileTest, ValuesOnlyTheirSettingCanCheckAreChecked) {
  EXPECT_NE(Problem("collect.local-port-range = \"9 1\"\n")
                .find("expected \"LOW HIGH\""),
            std::string::npos);
  EXPECT_NE(Problem("web.allow = [\"10.0.0.5/8\"]\n").find("host bits set"),
            std::string::npos);
  EXPECT_NE(Problem("containers.docker-state = [\"relative\"]\n")
                .find("not an absolute path"),
            std::string::npos);
  EXPECT_NE(Problem("time-wait.min-share = 2.0\n").find("a fraction"),
            std::string::npos);
  const std::string events = Problem("collect.events = \"ebpf\"\n");
  // The choices, not just the bad value (which contains "bpf") echoed.
  EXPECT_NE(events.find(R"(collect.events: expected one of "off" "bpf")"),
            std::string::npos)
      << events;
  EXPECT_NE(Problem("events.lifetime-ports = 101\n").find("events.lifetime"),
            std::string::npos);
}

class CommandLineTest : public ::testing::Test {
 protected:
  std::string File(const std::string& text) {
    path_ = ::testing::TempDir() + "/cl-" + std::to_string(getpid()) + ".conf";
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  std::string path_;
};

TEST_F(CommandLineTest, FlagsWinOverTheFile) {
  const std::string file = File("ports.max = 10\nunits.max = 7\n");
  const CommandLine line = ParseCommandLine(
      "run", {"--config.file", file, "--ports.max", "20"}, Scope::kRun);
  EXPECT_EQ(line.config.counting.max_ports, 20u);
  EXPECT_EQ(line.config.counting.max_owners, 7u);
  EXPECT_EQ(line.config.config_file, file);
}

TEST_F(CommandLineTest, TheReportReadsTheDaemonsFileAndIgnoresWhatIsNotIts) {
  const std::string file =
      File("pileup.min-sockets = 5\nweb.timeout = \"20s\"\n");
  const CommandLine line =
      ParseCommandLine("report", {"--config.file", file}, Scope::kBoth);
  EXPECT_EQ(line.config.rules.min_sockets, 5u);
  EXPECT_THROW(
      ParseCommandLine("report", {"--web.timeout", "20s"}, Scope::kBoth),
      ConfigProblem)
      << "a flag of run only";
}

TEST_F(CommandLineTest, OldSpellingsWorkWithANote) {
  const CommandLine line = ParseCommandLine(
      "report", {"--config.file", "/dev/null", "--local-port-range", "1 2"},
      Scope::kBoth);
  ASSERT_EQ(line.notes.size(), 1u);
  EXPECT_EQ(line.notes[0],
            "--local-port-range is deprecated: use --collect.local-port-range "
            "(the old spelling goes in 0.3)");
  EXPECT_EQ(line.config.counting.ephemeral_range, (PortRange{1, 2}));
}

TEST_F(CommandLineTest, BadFlagsAreOneLineNamingTheFlag) {
  try {
    ParseCommandLine("run",
                     {"--config.file", "/dev/null", "--web.timeout", "0s"},
                     Scope::kRun);
    FAIL() << "accepted";
  } catch (const ConfigProblem& problem) {
    const std::string what = problem.what();
    EXPECT_NE(what.find("--web.timeout"), std::string::npos) << what;
    EXPECT_NE(what.find("at least 1s such as 10s"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos);
  }
  EXPECT_THROW(ParseCommandLine("run", {"--help"}, Scope::kRun), HelpRequested);
}

TEST_F(CommandLineTest, ReportFlagsAreNoKeysOfTheFile) {
  EXPECT_EQ(ParseCommandLine("report",
                             {"--config.file", "/dev/null", "--top", "7",
                              "--format", "json"},
                             Scope::kBoth)
                .config.report.top,
            7u);
  EXPECT_NE(Problem("top = 7\n").find("unknown key \"top\""),
            std::string::npos);
  EXPECT_THROW(ParseCommandLine("run", {"--top", "7"}, Scope::kRun),
               ConfigProblem);
}

TEST_F(CommandLineTest, NumbersOnTheCommandLineReadAsInTheFile) {
  const auto parse = [](const std::string& value) {
    return ParseCommandLine(
               "run", {"--config.file", "/dev/null", "--ports.max", value},
               Scope::kRun)
        .config.counting.max_ports;
  };
  EXPECT_EQ(parse("250"), 250u);
  EXPECT_THROW(parse("0200"), ConfigProblem) << "no leading zero";
  EXPECT_THROW(parse("2.5"), ConfigProblem);
  EXPECT_THROW(parse("1 # comment"), ConfigProblem);
  EXPECT_THROW(parse("9\nports.max = 1"), ConfigProblem);
}

TEST_F(CommandLineTest, ABareBooleanFlagIsTrue) {
  EXPECT_TRUE(ParseCommandLine(
                  "run", {"--config.file", "/dev/null", "--web.systemd-socket"},
                  Scope::kRun)
                  .config.web_systemd_socket);
  EXPECT_FALSE(ParseCommandLine(
                   "run",
                   {"--config.file", "/dev/null", "--web.systemd-socket=false"},
                   Scope::kRun)
                   .config.web_systemd_socket);
}

// Regression (the config fuzzer, under UBSan): toml++ 3.3 reached
// __builtin_unreachable() on a non-ASCII character where it looks for
// whitespace, in strings it looks ahead through too. Such characters are
// refused before it sees them, except in comments.
TEST(TomlGuardTest, NonAsciiIsRefusedOutsideComments) {
  const struct {
    const char* text;
    std::optional<TextPosition> at;
  } cases[] = {
      {"a = 1 \xc3\xa9\n", TextPosition{1, 7}},
      {"\xef\xb3\xbf"
       "cdion]\n",
       TextPosition{1, 1}},
      {"a = 1 # caf\xc3\xa9 \xe2\x80\x83\n# \xc3\xa9\n", std::nullopt},
      {"a = \"caf\xc3\xa9\"\n", TextPosition{1, 9}},
      {"a = \"\\\" \xc3\xa9\"\n", TextPosition{1, 9}},
      {"a = \"#\" \xc3\xa9\n", TextPosition{1, 9}},
      {"a = \"\"\"\nx\xc3\xa9\n\"\"\"\n", TextPosition{2, 2}},
      {"a = '''#\n''' \xc3\xa9\n", TextPosition{2, 5}},
      {"e=0[\"09se_:_\xc6\xa0\n", TextPosition{1, 13}},
      {"x = 1\x12'''\xef\xbb\xbb'''\n", TextPosition{1, 6}},
      {"# a\x7f\n", TextPosition{1, 4}},
      {"\xef\xbb\xbf"
       "a = 1\n",
       std::nullopt},
  };
  for (const auto& c : cases) {
    const auto found = RefusedCharacter(c.text);
    ASSERT_EQ(found.has_value(), c.at.has_value()) << c.text;
    if (found) {
      EXPECT_EQ(found->line, c.at->line) << c.text;
      EXPECT_EQ(found->column, c.at->column) << c.text;
    }
  }
  try {
    Parse("a = \"caf\xc3\xa9\"\n");
    ADD_FAILURE() << "accepted";
  } catch (const ConfigProblem& problem) {
    EXPECT_NE(std::string(problem.what())
                  .find("line 1 column 9: a control character, or a "
                        "non-ASCII character outside a comment"),
              std::string::npos)
        << problem.what();
  }
}

TEST(ConfigProblemTest, IsOneLineWhateverItQuotes) {
  EXPECT_STREQ(ConfigProblem("key: \"a\nb\x01\"").what(),
               "key: \"a\\nb\\x01\"");
}

}  // namespace
}  // namespace tcpstated
