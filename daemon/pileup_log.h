#pragma once

#include <string>

#include "tcpstated/detect/pileup_detector.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// One warning per pileup that started (with its owners, processes and
// diagnosis) and one info line per pileup that cleared. `where` is appended
// to the port (" in netns blue").
void LogPileupChanges(const PileupDetector::Changes& changes,
                      const Snapshot& snapshot, const std::string& where);

}  // namespace tcpstated
