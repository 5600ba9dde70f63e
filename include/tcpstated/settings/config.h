#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/count/count_settings.h"
#include "tcpstated/detect/finding_rules.h"
#include "tcpstated/host/container_names.h"
#include "tcpstated/model/one_line.h"
#include "tcpstated/web/http_front.h"

namespace tcpstated {

// What `report` alone is told, on its command line (not in the file).
struct ReportFlags {
  std::string format = "text";              // --format: text or json
  std::size_t top = 5;                      // --top: ports listed per state
  std::optional<std::string> record_dump;   // --record-dump FILE
  std::string request = "legacy-one-walk";  // --request
  std::chrono::milliseconds interval{0};    // --interval: rates
  std::string close_wait_ages = "auto";     // --close-wait-ages
};

// Everything `run` and `report` can be told. Each setting is a key of the
// config file and a flag of the same name (collect.interval there,
// --collect.interval here); flags win over the file. The defaults are the
// member initializers here and in the structs held: written once.
struct Config {
  std::string config_file;  // the file read; "" when none was

  // Shared by `run` and `report`.
  std::string netns;               // collect.netns
  std::string replay_dump;         // collect.replay-dump
  CountSettings counting;          // ports.max, units.max,
                                   // collect.local-port-range
  std::size_t max_netns = 200;     // netns.max
  RuntimeStateDirs runtime_dirs;   // containers.*
  FindingRules rules;              // findings.for, pileup.*, stall.*, ...
  CloseWaitTracker::Options leak;  // leak.close-wait-age, leak.max-tracked
  std::string events = "off";      // collect.events: off or bpf
  std::size_t lifetime_ports = 0;  // events.lifetime-ports

  // `run` only (the report reads these keys from the file and ignores
  // them).
  std::chrono::milliseconds collect_interval{15000};
  std::size_t max_series = 10000;  // collect.max-series
  HttpFrontOptions web;            // web.*, but web.systemd-socket
  bool web_systemd_socket = false;
  std::string log_level = "info";
  std::string log_target = "auto";

  ReportFlags report;
};

// A configuration that cannot be used: one line naming the key or file and
// what was expected, whatever the file held (see OneLine). `check-config`,
// `run` and `report` exit 2 with it.
struct ConfigProblem : std::runtime_error {
  explicit ConfigProblem(const std::string& what)
      : std::runtime_error(OneLine(what)) {}
};

inline constexpr const char* kDefaultConfigFile =
    "/etc/tcpstated/tcpstated.conf";
// Config files are small; anything larger is not one.
inline constexpr std::size_t kMaxConfigBytes = 1 << 20;

}  // namespace tcpstated
