#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "tcpstated/collect/report_collection.h"

namespace CLI {
class App;
}

namespace tcpstated {

struct ReportCommandOptions {
  std::string format = "text";
  std::string netns;
  std::string record_dump;
  bool record_dump_given = false;
  std::string local_port_range;
  std::string request = "legacy-one-walk";
  std::string close_wait_ages = "auto";
  std::size_t top = 5;
  // netns.max: the report lists every namespace with a socket.
  std::size_t max_netns_unused = 200;
  ReportSettings settings;
};

// Declares `tcpstated report` and its flags on `app`.
CLI::App* AddReportCommand(CLI::App& app, ReportCommandOptions& options);

// Runs the one-shot report; returns the process exit status.
int RunReportCommand(ReportCommandOptions options);

}  // namespace tcpstated
