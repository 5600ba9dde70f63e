#pragma once

#include <string>

#include "tcpstated/model/snapshot.h"

namespace tcpstated::testing {

// What `ss -tan` (iproute2) counts in the current network namespace, per
// family and state: the independent witness for integration tests.
// `filter` is an ss filter expression, e.g. "( sport != :80 )".
std::array<StateCounts, kFamilyCount> CountWithSs(
    const std::string& filter = "");

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a shell command, capturing stdout and stderr.
CommandResult RunCommand(const std::string& command);

}  // namespace tcpstated::testing
