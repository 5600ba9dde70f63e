#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "config_text.h"
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
  std::string config_file;  // "" when none was read
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

// Parses `run`'s arguments and the config file they name (or the default
// one, if it exists) into a config: the flags are checked first, then the
// file is read (a regular file only, size-capped) and parsed, then the
// flags are applied over it. Throws ConfigProblem with a message that names
// the key or file and what was expected, or HelpRequested.
DaemonConfig ParseDaemonConfig(const std::vector<std::string>& args);

// Parses the text of a config file alone (no flags, no file system): what
// the fuzzer drives. Throws ConfigProblem.
DaemonConfig ParseDaemonConfigText(const std::string& text);

// Checks what parsing cannot: that the namespace, the replay dump and the
// auth file named exist and are what they should be. What check-config,
// run and a reload all go through. Throws ConfigProblem.
void ValidateDaemonConfig(const DaemonConfig& config);

// Thrown by ParseDaemonConfig for --help; holds the help text.
struct HelpRequested {
  std::string text;
};

}  // namespace tcpstated
