#include "scenario.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon_fixture.h"
#include "socket_scenario.h"

namespace tcpstated::testing {
namespace {

constexpr int kDaemonPort = 10039;

// `text` as one word of a shell command.
std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

ProcessGroup::ProcessGroup(const std::vector<std::string>& argv,
                           const std::string& log) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    setpgid(0, 0);
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  setpgid(pid_, pid_);  // either side may run first
}

ProcessGroup::~ProcessGroup() {
  // A stopped process must go too: SIGKILL ends it stopped or not.
  kill(-pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::vector<pid_t> ProcessGroup::Children() const {
  std::vector<pid_t> out;
  std::ifstream children("/proc/" + std::to_string(pid_) + "/task/" +
                         std::to_string(pid_) + "/children");
  pid_t child;
  while (children >> child) out.push_back(child);
  return out;
}

void ScenarioTest::SetUp() {
  if (geteuid() != 0) GTEST_SKIP() << "scenarios make network namespaces";
  EnterPrivateNetns();
  static std::atomic<int> serial{0};
  id_ = std::to_string(getpid() % 100000) + std::to_string(serial++);
  dir_ = ::testing::TempDir() + "/scenario-" + id_;
  std::filesystem::create_directories(dir_);
}

void ScenarioTest::TearDown() {
  daemon_.reset();
  processes_.clear();
  for (const std::string& netns : namespaces_) {
    RunCommand("ip netns del " + netns);
  }
  if (!HasFailure()) std::filesystem::remove_all(dir_);
}

void ScenarioTest::Require(const std::vector<std::string>& programs) {
  for (const std::string& program : programs) {
    if (RunCommand("command -v " + program).exit_code != 0) {
      GTEST_SKIP() << program << " is not installed "
                   << "(scripts/install-deps.sh installs it)";
    }
  }
}

std::string ScenarioTest::Netns(const std::string& role) {
  const std::string name = "ts" + id_ + role;
  const auto made = RunCommand("ip netns add " + name + " && ip -n " + name +
                               " link set lo up");
  EXPECT_EQ(made.exit_code, 0) << made.err;
  namespaces_.push_back(name);
  return name;
}

void ScenarioTest::Link(const std::string& a, const std::string& address_a,
                        const std::string& b, const std::string& address_b) {
  const std::string va = "va" + id_, vb = "vb" + id_;
  const auto linked =
      RunCommand("ip link add " + va + " type veth peer name " + vb +
                 " && ip link set " + va + " netns " + a + " && ip link set " +
                 vb + " netns " + b + " && ip -n " + a + " addr add " +
                 address_a + "/24 dev " + va + " && ip -n " + b + " addr add " +
                 address_b + "/24 dev " + vb + " && ip -n " + a + " link set " +
                 va + " up && ip -n " + b + " link set " + vb + " up");
  EXPECT_EQ(linked.exit_code, 0) << linked.err;
}

ProcessGroup& ScenarioTest::Start(const std::string& netns,
                                  const std::vector<std::string>& argv) {
  std::vector<std::string> command = {"ip", "netns", "exec", netns};
  command.insert(command.end(), argv.begin(), argv.end());
  processes_.push_back(std::make_unique<ProcessGroup>(
      command, dir_ + "/" + std::filesystem::path(argv[0]).filename().string() +
                   ".log"));
  return *processes_.back();
}

CommandResult ScenarioTest::Run(const std::string& netns,
                                const std::string& command) {
  return RunCommand("timeout 120 ip netns exec " + netns + " sh -c " +
                    Quote(command));
}

std::string ScenarioTest::Write(const std::string& name,
                                const std::string& text) {
  const std::string path = dir_ + "/" + name;
  std::ofstream(path) << text;
  return path;
}

nlohmann::json ScenarioTest::ReportJson(const std::string& netns,
                                        const std::string& args) {
  const auto report =
      RunCommand(kTcpstated + " report --config.file /dev/null --format json " +
                 "--collect.netns " + netns + " " + args);
  EXPECT_EQ(report.exit_code, 0) << report.err;
  try {
    return nlohmann::json::parse(report.out);
  } catch (const nlohmann::json::exception& error) {
    ADD_FAILURE() << error.what() << "\n" << report.out;
    return nlohmann::json::object({{"findings", nlohmann::json::array()}});
  }
}

std::string ScenarioTest::ReportText(const std::string& netns,
                                     const std::string& args) {
  const auto started = std::chrono::steady_clock::now();
  const auto report =
      RunCommand(kTcpstated + " report --config.file /dev/null " +
                 "--collect.netns " + netns + " " + args);
  EXPECT_EQ(report.exit_code, 0) << report.err;
  // What tests/bench/scenario_reports.py reports: the report's wall time,
  // and the text, where it is asked for.
  RecordProperty(
      "report_ms",
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count()));
  if (const char* keep = std::getenv("TCPSTATED_SCENARIO_REPORTS")) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::ofstream(std::string(keep) + "/" + test->name() + ".txt")
        << report.out;
  }
  return report.out;
}

const nlohmann::json& ScenarioTest::OnlyFinding(const nlohmann::json& report) {
  static const nlohmann::json kNone = nlohmann::json::object();
  const auto& findings = report.at("findings");
  EXPECT_EQ(findings.size(), 1u) << "nothing else is flagged:\n"
                                 << findings.dump(2);
  return findings.empty() ? kNone : findings.front();
}

std::vector<std::string> ScenarioTest::FindingSeries() const {
  std::vector<std::string> out;
  std::istringstream lines(HttpGet(kDaemonPort, "/metrics").body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("tcpstate_finding{", 0) == 0) out.push_back(line);
  }
  return out;
}

std::string ScenarioTest::DaemonFinds(const std::string& netns,
                                      const std::string& kind) {
  if (!daemon_) {
    daemon_ = std::make_unique<ChildProcess>(std::vector<std::string>{
        kTcpstated, "run", "--config.file", "/dev/null", "--web.listen-address",
        "127.0.0.1:" + std::to_string(kDaemonPort), "--collect.netns", netns,
        "--collect.interval", "500ms", "--findings.for", "1s"});
  }
  std::string found;
  const bool exported = WaitFor(
      [&] {
        for (const std::string& series : FindingSeries()) {
          if (series.find("kind=\"" + kind + "\"") != std::string::npos) {
            found = series;
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(30));
  EXPECT_TRUE(exported) << "no " << kind << " finding:\n" << DaemonLog();
  return found;
}

std::string ScenarioTest::DaemonLog() const {
  return daemon_ ? daemon_->Stderr() : "";
}

void ScenarioTest::ExpectAlertFor(const std::string& alert,
                                  const std::string& series) {
  const auto rules = RunCommand("jsonnet -J " TCPSTATED_SOURCE_DIR
                                "/packaging/mixin -e '(import "
                                "\"mixin.libsonnet\").prometheusAlerts'");
  ASSERT_EQ(rules.exit_code, 0) << rules.err;
  std::string expr;
  const nlohmann::json parsed = nlohmann::json::parse(rules.out);
  for (const auto& group : parsed.at("groups")) {
    for (const auto& rule : group.at("rules")) {
      if (rule.contains("alert") &&
          rule.at("alert").get<std::string>() == alert) {
        expr = rule.at("expr").get<std::string>();
      }
    }
  }
  ASSERT_FALSE(expr.empty()) << "no alert " << alert;
  // The recorded series, as Prometheus stores it with its target labels.
  const std::string labels = series.substr(0, series.rfind(' '));
  const std::string stored =
      "tcpstate_finding{instance=\"scenario\",job=\"tcpstated\"," +
      labels.substr(labels.find('{') + 1);
  const std::string test =
      Write("alert-test.yml",
            "tests:\n  - interval: 1m\n    input_series:\n      - series: " +
                Quote(stored) + "\n        values: '1x10'\n" +
                "    promql_expr_test:\n      - expr: " + Quote(expr) +
                "\n        eval_time: 5m\n        exp_samples:\n          - "
                "labels: " +
                Quote(stored) + "\n            value: 1\n");
  const auto result = RunCommand("promtool test rules " + test);
  EXPECT_EQ(result.exit_code, 0) << alert << ": " << expr << "\n"
                                 << result.out << result.err;
}

}  // namespace tcpstated::testing
