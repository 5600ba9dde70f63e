#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "namespace_collector.h"
#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/detect/pileup_detector.h"

namespace CLI {
class App;
}

namespace tcpstated {

// Everything `tcpstated run` can be told. Every field is a flag of `run`
// and a key of the config file with the same name (--collect.interval and
// `collect.interval = "15s"`); flags win over the file.
struct DaemonConfig {
  std::string config_file;
  std::chrono::milliseconds collect_interval{15000};
  std::string netns;
  std::string replay_dump;
  std::string local_port_range;
  CountSettings counting;  // ports.max, units.max
  std::string listen_address = ":10039";
  std::string telemetry_path = "/metrics";
  std::vector<std::string> web_allow;
  std::size_t web_max_connections = 64;
  std::string web_auth_file;
  PileupRules pileup_rules = PileupRules::Defaults();
  CloseWaitTracker::Options leak;  // leak.close-wait-age, leak.max-tracked
  std::string log_level = "info";
  std::string log_target = "auto";
};

inline constexpr const char* kDefaultConfigFile =
    "/etc/tcpstated/tcpstated.conf";

// Declares the options of `run` on `command`, bound to `config`.
void AddDaemonOptions(CLI::App& command, DaemonConfig& config);

// Parses `run`'s arguments (and the config file they name, or the default
// one if it exists) into a config. Throws ConfigProblem with a message that
// names the key or file and what was expected.
DaemonConfig ParseDaemonConfig(const std::vector<std::string>& args);

// Parses the text of a config file alone (no flags, no file system): what
// the fuzzer drives. Throws ConfigProblem.
DaemonConfig ParseDaemonConfigText(const std::string& text);

struct ConfigProblem : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Thrown by ParseDaemonConfig for --help; holds the help text.
struct HelpRequested {
  std::string text;
};

// Parses "250ms", "15s", "2m", "1h".
std::optional<std::chrono::milliseconds> ParseDuration(const std::string& text);

}  // namespace tcpstated
