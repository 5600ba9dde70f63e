#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include "tcpstated/model/pileup.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// When sockets of one state (or stalled of one kind) on one port count as
// a pileup: at least `min_sockets` of them, making up at least `min_share`
// of all sockets, for `sustain` collections in a row.
struct PileupRule {
  std::uint64_t min_sockets = 0;
  double min_share = 0;
  int sustain = 1;
};

// A rule per watched state and stall kind; those without one are never
// flagged.
struct PileupRules {
  std::array<std::optional<PileupRule>, kTcpStateCount> by_state{};
  std::array<std::optional<PileupRule>, kStallKindCount> by_stall{};
  // Tuned for a busy web server; config/tcpstated.conf explains each.
  static PileupRules Defaults();
  // The same thresholds, met once: for a one-shot report with no history.
  PileupRules WithoutSustain() const;
  // The smallest min_sockets of all rules: what a folded port must reach
  // to be judged (CountSettings::candidate_min_sockets).
  std::uint64_t SmallestMinSockets() const;
};

// The states the detector can watch: connects that hang (SYN_SENT),
// handshakes that do not complete (SYN_RECV), leaks (CLOSE_WAIT), closes
// that wait on the peer (FIN_WAIT2) or on nobody (TIME_WAIT), and the
// orphan states FIN_WAIT1, LAST_ACK and CLOSING.
inline constexpr std::array<TcpState, 8> kPileupStates = {
    TcpState::kTimeWait, TcpState::kCloseWait, TcpState::kSynSent,
    TcpState::kSynRecv,  TcpState::kFinWait1,  TcpState::kFinWait2,
    TcpState::kLastAck,  TcpState::kClosing,
};

// Flags pileups per state (and stalls per kind) and classified port across
// collections. Real ports only: the kept rows and the folded candidates of
// the snapshot; "other" is never one port.
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
  // (state index, or kTcpStateCount + stall kind; direction; port)
  using Key = std::tuple<std::size_t, Direction, std::uint16_t>;
  struct Track {
    Pileup latest;
    int streak = 0;
    bool flagged = false;
  };
  void Judge(const PortRow& row, std::uint64_t total);
  const std::optional<PileupRule>& RuleOf(const Pileup& p) const;

  PileupRules rules_;
  std::map<Key, Track> tracks_;
};

}  // namespace tcpstated
