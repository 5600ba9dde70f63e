#pragma once

#include <string>
#include <vector>

namespace tcpstated {

// `tcpstated report ARGS...`: the one-shot report. Returns the exit status
// (2 for usage and configuration errors).
int RunReportCommand(const std::vector<std::string>& args);

}  // namespace tcpstated
