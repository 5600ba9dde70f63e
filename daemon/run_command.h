#pragma once

#include <string>
#include <vector>

namespace tcpstated {

// `tcpstated run ARGS...`: the daemon. Returns the exit status.
int RunDaemonCommand(const std::vector<std::string>& args);

// `tcpstated check-config FILE`: 0 if the file is valid, 2 if not.
int CheckConfigCommand(const std::string& file);

}  // namespace tcpstated
