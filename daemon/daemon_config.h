#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "config_text.h"
#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/count/count_settings.h"
#include "tcpstated/detect/pileup_detector.h"
#include "tcpstated/host/container_names.h"
#include "tcpstated/web/http_front.h"

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
  std::size_t max_netns = 200;
  RuntimeStateDirs runtime_dirs;
  HttpFrontOptions web;  // web.* but web.systemd-socket
  bool web_systemd_socket = false;
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

// Checks what parsing cannot: that the namespace and the replay dump named
// exist and are what they should be, that the listen addresses parse, and
// that the web config file loads (certificates, key, hashes). What
// check-config, run and a reload all go through. Throws ConfigProblem.
void ValidateDaemonConfig(const DaemonConfig& config);

// Thrown by ParseDaemonConfig for --help; holds the help text.
struct HelpRequested {
  std::string text;
};

}  // namespace tcpstated
