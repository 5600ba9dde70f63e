#include "tcpstated/detect/pileup_detector.h"

#include <algorithm>

namespace tcpstated {

PileupRules PileupRules::Defaults() {
  PileupRules rules;
  auto set = [&rules](TcpState state, std::uint64_t sockets, double share,
                      int sustain) {
    rules.by_state[Index(state)] = PileupRule{sockets, share, sustain};
  };
  // A healthy busy server keeps tens of thousands of TIME_WAIT sockets;
  // trouble is when one port holds most of them for a minute or more.
  set(TcpState::kTimeWait, 20000, 0.5, 4);
  // CLOSE_WAIT should stay near zero: a hundred lingering for a minute is
  // a leak in the making.
  set(TcpState::kCloseWait, 100, 0.0, 4);
  set(TcpState::kSynRecv, 256, 0.0, 2);
  set(TcpState::kFinWait1, 1000, 0.0, 4);
  set(TcpState::kLastAck, 1000, 0.0, 4);
  set(TcpState::kClosing, 100, 0.0, 4);
  return rules;
}

PileupRules PileupRules::WithoutSustain() const {
  PileupRules once = *this;
  for (auto& rule : once.by_state) {
    if (rule) rule->sustain = 1;
  }
  return once;
}

PileupDetector::Changes PileupDetector::Update(const Snapshot& snapshot) {
  const std::uint64_t total = Total(snapshot.Totals());
  for (auto& [key, track] : tracks_) track.latest.sockets = 0;

  for (const PortRow& row : snapshot.ports) {
    for (TcpState state : kPileupStates) {
      const auto& rule = rules_.by_state[Index(state)];
      const std::uint64_t n = row.states[Index(state)];
      if (!rule || n == 0) continue;
      const double share =
          total == 0 ? 0 : static_cast<double>(n) / static_cast<double>(total);
      if (n < rule->min_sockets || share < rule->min_share) continue;
      Track& track = tracks_[{state, row.direction, row.port}];
      track.latest = {state, row.direction, row.port, n, share, {}};
    }
  }

  Changes changes;
  for (auto it = tracks_.begin(); it != tracks_.end();) {
    Track& track = it->second;
    if (track.latest.sockets == 0) {  // not over the threshold this time
      if (track.flagged) changes.cleared.push_back(track.latest);
      it = tracks_.erase(it);
      continue;
    }
    ++track.streak;
    const auto& rule = rules_.by_state[Index(track.latest.state)];
    if (!track.flagged && rule && track.streak >= rule->sustain) {
      track.flagged = true;
      changes.started.push_back(track.latest);
    }
    ++it;
  }
  return changes;
}

std::vector<Pileup> PileupDetector::Active() const {
  std::vector<Pileup> active;
  for (const auto& [key, track] : tracks_) {
    if (track.flagged) active.push_back(track.latest);
  }
  std::stable_sort(
      active.begin(), active.end(),
      [](const Pileup& a, const Pileup& b) { return a.sockets > b.sockets; });
  return active;
}

}  // namespace tcpstated
