#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "tcpstated/model/pileup.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// When sockets of one state on one port count as a pileup: at least
// `min_sockets` of them, making up at least `min_share` of all sockets,
// for `sustain` collections in a row.
struct PileupRule {
  std::uint64_t min_sockets = 0;
  double min_share = 0;
  int sustain = 1;
};

// A rule per watched state; states without one are never flagged.
struct PileupRules {
  std::array<std::optional<PileupRule>, kTcpStateCount> by_state{};
  // Tuned for a busy web server; config/tcpstated.conf explains each.
  static PileupRules Defaults();
  // The same thresholds, met once: for a one-shot report with no history.
  PileupRules WithoutSustain() const;
};

// The states the detector can watch: TIME_WAIT, CLOSE_WAIT, SYN_RECV and
// the orphan states FIN_WAIT1, LAST_ACK and CLOSING.
inline constexpr std::array<TcpState, 6> kPileupStates = {
    TcpState::kTimeWait, TcpState::kCloseWait, TcpState::kSynRecv,
    TcpState::kFinWait1, TcpState::kLastAck,   TcpState::kClosing,
};

// Flags pileups per state and classified port across collections.
class PileupDetector {
 public:
  explicit PileupDetector(const PileupRules& rules = PileupRules::Defaults())
      : rules_(rules) {}

  struct Changes {
    std::vector<Pileup> started;
    std::vector<Pileup> cleared;
  };
  // Feeds one collection's snapshot; returns what started and cleared.
  Changes Update(const Snapshot& snapshot);
  void SetRules(const PileupRules& rules) { rules_ = rules; }

  // Pileups flagged after the last Update, busiest first.
  std::vector<Pileup> Active() const;

 private:
  using Key = std::tuple<TcpState, Direction, std::optional<std::uint16_t>>;
  struct Track {
    Pileup latest;
    int streak = 0;
    bool flagged = false;
  };
  PileupRules rules_;
  std::map<Key, Track> tracks_;
};

}  // namespace tcpstated
