#pragma once

#include <functional>
#include <string>

namespace tcpstated {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Where the stages that run inside the daemon (the collection loop, the
// HTTP front) write their log lines: one finished line at a time. The
// daemon hands in its logger (daemon/logging.cc, the only user of spdlog);
// tests hand in a recorder. Called from several threads at once.
using LogFn = std::function<void(LogLevel level, const std::string& line)>;

// Writes nothing: the default where no logger was given.
inline void DiscardLog(LogLevel, const std::string&) {}

}  // namespace tcpstated
