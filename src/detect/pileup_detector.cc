#include "tcpstated/detect/pileup_detector.h"

#include <algorithm>
#include <cstdint>

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
  // A healthy client has a handful of connects in flight; a hundred that
  // stay are an upstream that does not answer.
  set(TcpState::kSynSent, 100, 0.0, 2);
  // FIN_WAIT2 ends after tcp_fin_timeout unless the program keeps the
  // socket after shutdown(): a thousand that stay, the peer never closes.
  set(TcpState::kFinWait2, 1000, 0.0, 4);
  // Stalled connections: a few at any instant are normal on a busy port;
  // tens that stay for a minute are stuck.
  rules.by_stall[static_cast<std::size_t>(StallKind::kUnread)] =
      PileupRule{50, 0.0, 4};
  rules.by_stall[static_cast<std::size_t>(StallKind::kRetransmitting)] =
      PileupRule{20, 0.0, 4};
  rules.by_stall[static_cast<std::size_t>(StallKind::kZeroWindow)] =
      PileupRule{20, 0.0, 4};
  return rules;
}

PileupRules PileupRules::WithoutSustain() const {
  PileupRules once = *this;
  for (auto& rule : once.by_state) {
    if (rule) rule->sustain = 1;
  }
  for (auto& rule : once.by_stall) {
    if (rule) rule->sustain = 1;
  }
  return once;
}

std::uint64_t PileupRules::SmallestMinSockets() const {
  std::uint64_t smallest = UINT64_MAX;
  for (const auto& rule : by_state) {
    if (rule) smallest = std::min(smallest, rule->min_sockets);
  }
  for (const auto& rule : by_stall) {
    if (rule) smallest = std::min(smallest, rule->min_sockets);
  }
  return std::max<std::uint64_t>(smallest, 1);
}

const std::optional<PileupRule>& PileupDetector::RuleOf(const Pileup& p) const {
  return p.stall ? rules_.by_stall[static_cast<std::size_t>(*p.stall)]
                 : rules_.by_state[Index(p.state)];
}

void PileupDetector::Judge(const PortRow& row, std::uint64_t total) {
  const auto share_of = [total](std::uint64_t n) {
    return total == 0 ? 0 : static_cast<double>(n) / static_cast<double>(total);
  };
  const auto over = [&](const std::optional<PileupRule>& rule,
                        std::uint64_t n) {
    return rule && n > 0 && n >= rule->min_sockets &&
           share_of(n) >= rule->min_share;
  };
  for (TcpState state : kPileupStates) {
    const std::uint64_t n = row.states[Index(state)];
    if (!over(rules_.by_state[Index(state)], n)) continue;
    Pileup& p = tracks_[{Index(state), row.direction, *row.port}].latest;
    p = Pileup{};
    p.state = state;
    p.direction = row.direction;
    p.port = row.port;
    p.sockets = n;
    p.share = share_of(n);
  }
  for (StallKind kind : kAllStallKinds) {
    const auto k = static_cast<std::size_t>(kind);
    const std::uint64_t n = row.stalls.sockets[k];
    if (!over(rules_.by_stall[k], n)) continue;
    Pileup& p = tracks_[{kTcpStateCount + k, row.direction, *row.port}].latest;
    p = Pileup{};
    p.state = TcpState::kEstablished;
    p.stall = kind;
    p.direction = row.direction;
    p.port = row.port;
    p.sockets = n;
    p.share = share_of(n);
    p.bytes = row.stalls.bytes[k];
  }
}

PileupDetector::Changes PileupDetector::Update(const Snapshot& snapshot) {
  const std::uint64_t total = Total(snapshot.Totals());
  for (auto& [key, track] : tracks_) track.latest.sockets = 0;
  for (const PortRow& row : snapshot.ports) {
    if (row.port) Judge(row, total);
  }
  for (const PortRow& row : snapshot.folded_candidates) Judge(row, total);

  Changes changes;
  for (auto it = tracks_.begin(); it != tracks_.end();) {
    Track& track = it->second;
    if (track.latest.sockets == 0) {  // not over the threshold this time
      if (track.flagged) changes.cleared.push_back(track.latest);
      it = tracks_.erase(it);
      continue;
    }
    ++track.streak;
    const auto& rule = RuleOf(track.latest);
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
