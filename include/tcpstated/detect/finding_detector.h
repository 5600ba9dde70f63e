#pragma once

#include <chrono>
#include <map>
#include <vector>

#include "tcpstated/detect/finding_rules.h"
#include "tcpstated/detect/judge.h"
#include "tcpstated/model/finding.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// The daemon's findings across collections: a condition becomes a finding
// once it has held for FindingRules::hold, and ends the first collection
// it does not hold. What tracing found (Evidence) is kept with the finding
// while it lasts, so that a finding is traced when it starts, not every
// collection. Pure: the caller says what time it is.
class FindingDetector {
 public:
  using Clock = std::chrono::steady_clock;
  explicit FindingDetector(const FindingRules& rules = {}) : rules_(rules) {}
  void SetRules(const FindingRules& rules) { rules_ = rules; }

  // Judges `snapshot` at `now`; returns the findings active now, ranked,
  // each with the evidence attached to it so far.
  std::vector<Finding> Update(const Snapshot& snapshot, Clock::time_point now);

  // Whether an active finding wants tracing: never traced, or its severity
  // changed since it was.
  bool NeedsEvidence(const Finding& finding) const;
  // Keeps what tracing `finding` found, for as long as it stays active.
  void Attach(const Finding& finding, Evidence evidence);

 private:
  struct Track {
    Clock::time_point first_seen;
    bool traced = false;
    Severity traced_at = Severity::kWarning;
    Evidence evidence;
    std::chrono::system_clock::time_point since;
  };
  FindingRules rules_;
  std::map<FindingId, Track> tracks_;
};

}  // namespace tcpstated
