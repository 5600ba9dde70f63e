#include "tcpstated/detect/finding_detector.h"

namespace tcpstated {

std::vector<Finding> FindingDetector::Update(const Snapshot& snapshot,
                                             Clock::time_point now) {
  std::map<FindingId, Track> next;
  std::vector<Finding> active;
  for (Finding& f : Judge(snapshot, rules_)) {
    const FindingId id = IdOf(f);
    const auto it = tracks_.find(id);
    Track track = it != tracks_.end()
                      ? std::move(it->second)
                      : Track{now, false, f.severity, {}, f.since};
    if (now - track.first_seen >= rules_.hold) {
      f.evidence = track.evidence;
      f.since = track.since;
      active.push_back(f);
    }
    next.emplace(id, std::move(track));
  }
  tracks_ = std::move(next);
  return active;
}

bool FindingDetector::NeedsEvidence(const Finding& finding) const {
  const auto it = tracks_.find(IdOf(finding));
  return it == tracks_.end() || !it->second.traced ||
         it->second.traced_at != finding.severity;
}

void FindingDetector::Attach(const Finding& finding, Evidence evidence) {
  const auto it = tracks_.find(IdOf(finding));
  if (it == tracks_.end()) return;
  it->second.traced = true;
  it->second.traced_at = finding.severity;
  it->second.evidence = std::move(evidence);
}

}  // namespace tcpstated
