#pragma once

#include <string>

namespace tcpstated {

// Sends spdlog's default logger to stderr or to journald. `target` "auto"
// picks journald when systemd started us (JOURNAL_STREAM is set).
void SetUpLogging(const std::string& level, const std::string& target);

}  // namespace tcpstated
