#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.h"
#include "ss_counts.h"

namespace tcpstated::testing {

// A process group of its own (a server and the workers it forks), killed
// whole, stopped or not, when the test ends.
class ProcessGroup {
 public:
  explicit ProcessGroup(const std::vector<std::string>& argv,
                        const std::string& log);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;
  pid_t pid() const { return pid_; }
  // The pids of its direct children (nginx's workers).
  std::vector<pid_t> Children() const;

 private:
  pid_t pid_ = -1;
};

// A failure made for real: Debian's own servers and load tools run as
// plain processes in private network namespaces the test makes; the report
// and the daemon look at the namespace. The test itself runs in a private
// namespace of its own, where the daemon serves.
class ScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Skips the test, saying so, when a program it needs is not installed.
  void Require(const std::vector<std::string>& programs);
  // A named network namespace with loopback up, deleted at the end.
  std::string Netns(const std::string& role);
  // A veth pair from `a` (address_a/24) to `b` (address_b/24).
  void Link(const std::string& a, const std::string& address_a,
            const std::string& b, const std::string& address_b);
  // Starts `argv` inside `netns`; its stderr and stdout go to a log file.
  ProcessGroup& Start(const std::string& netns,
                      const std::vector<std::string>& argv);
  // Runs a shell command inside `netns` to its end.
  CommandResult Run(const std::string& netns, const std::string& command);
  // A file in the test's own directory; returns its path.
  std::string Write(const std::string& name, const std::string& text);
  const std::string& Dir() const { return dir_; }

  // `tcpstated report` of `netns` (--config.file /dev/null).
  nlohmann::json ReportJson(const std::string& netns,
                            const std::string& args = "");
  std::string ReportText(const std::string& netns,
                         const std::string& args = "");

  // The daemon watching `netns`, collecting twice a second and reporting
  // what holds for a second; waits for a finding of `kind` to be exported
  // and returns its series line (`tcpstate_finding{...} 1`).
  std::string DaemonFinds(const std::string& netns, const std::string& kind);
  // Every tcpstate_finding series the daemon exports now.
  std::vector<std::string> FindingSeries() const;
  std::string DaemonLog() const;
  // The shipped alert `alert` (generated from the mixin) holds for the
  // recorded `series`: promtool evaluates its expression over it.
  void ExpectAlertFor(const std::string& alert, const std::string& series);

  // The first finding of a report, and that there is no other.
  static const nlohmann::json& OnlyFinding(const nlohmann::json& report);

 private:
  std::string dir_;
  std::string id_;
  std::vector<std::string> namespaces_;
  std::vector<std::unique_ptr<ProcessGroup>> processes_;
  std::unique_ptr<ChildProcess> daemon_;
};

}  // namespace tcpstated::testing
