#pragma once

#include <string>
#include <vector>

#include "tcpstated/model/finding.h"
#include "tcpstated/model/log.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

struct LogLine {
  LogLevel level;
  std::string text;
};

// What the daemon logs as findings start, change and end, from the
// findings active before (`before`) and now (`now`, explained, as in
// `snapshot`): one line per finding that starts (findings of one program
// on several ports together; an error for a critical one), one when more
// ports join a finding already logged, one when a finding's severity,
// cause or main holder changes, and one per kind and direction that ends.
// Each names who by majority, in their role, and why, as the report does.
// `where` follows the ports (" in netns blue"). Pure.
std::vector<LogLine> FindingChangeLines(const std::vector<Finding>& before,
                                        const std::vector<Finding>& now,
                                        const Snapshot& snapshot,
                                        const std::string& where);

}  // namespace tcpstated
