#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "namespace_collector.h"

namespace CLI {
class App;
}

namespace tcpstated {

struct ReportCommandOptions {
  std::string format = "text";
  std::string netns;
  std::string record_dump;
  bool record_dump_given = false;
  std::string replay_dump;
  std::string local_port_range;
  std::string request = "legacy-one-walk";
  std::string close_wait_ages = "auto";
  CountSettings counting;
  std::size_t top = 5;
  // Kernel counters read twice this far apart, for rates; 0: totals.
  std::chrono::milliseconds interval{0};
};

// Declares `tcpstated report` and its flags on `app`.
CLI::App* AddReportCommand(CLI::App& app, ReportCommandOptions& options);

// Runs the one-shot report; returns the process exit status.
int RunReportCommand(const ReportCommandOptions& options);

}  // namespace tcpstated
