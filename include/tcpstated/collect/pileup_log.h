#pragma once

#include <string>
#include <vector>

#include "tcpstated/detect/pileup_detector.h"
#include "tcpstated/model/log.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

struct LogLine {
  LogLevel level;
  std::string text;
};

// What the daemon logs when pileups change: one warning per group of
// pileups that started (with its owners, processes and diagnosis), an info
// line when more ports join a group already flagged (`active`: every
// pileup flagged now), and one info line per state and direction that
// cleared. `where` is appended to the ports (" in netns blue"). Pure: the
// caller writes the lines.
std::vector<LogLine> PileupChangeLines(const PileupDetector::Changes& changes,
                                       const std::vector<Pileup>& active,
                                       const Snapshot& snapshot,
                                       const std::string& where);

}  // namespace tcpstated
