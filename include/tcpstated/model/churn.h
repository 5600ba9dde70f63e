#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpstated/model/ports.h"

namespace tcpstated {

// Who ended a connection that was ESTABLISHED: this host sent the first
// FIN (it will hold TIME_WAIT), the peer did (CLOSE_WAIT here), or a reset
// ended it.
enum class Closer : std::uint8_t { kHere, kThere, kReset };
inline constexpr Closer kAllClosers[] = {Closer::kHere, Closer::kThere,
                                         Closer::kReset};
std::string_view CloserName(Closer closer);  // "here", "there", "reset"

// Which end sent a reset.
enum class Side : std::uint8_t { kHere, kThere };
inline constexpr Side kAllSides[] = {Side::kHere, Side::kThere};
std::string_view SideName(Side side);  // "here", "there"

// A retransmitted segment: data, or a handshake's SYN or SYN-ACK.
enum class Segment : std::uint8_t { kData, kSyn };
inline constexpr Segment kAllSegments[] = {Segment::kData, Segment::kSyn};
std::string_view SegmentName(Segment segment);  // "data", "syn"

// Upper bounds of the connection lifetime buckets, in seconds (the kernel
// program's, see src/events/bpf/churn_abi.h); a last bucket, +Inf, holds
// the rest.
inline constexpr std::array<double, 8> kLifetimeBounds = {
    0.001, 0.01, 0.1, 1, 10, 60, 600, 3600};
inline constexpr std::size_t kLifetimeBuckets = kLifetimeBounds.size() + 1;

// What happened to the connections of one port since events were enabled.
// Every field only grows.
struct ChurnCounts {
  std::uint64_t opens = 0;                     // reached ESTABLISHED
  std::array<std::uint64_t, 3> closes{};       // by Closer
  std::uint64_t failed_connects = 0;           // SYN_SENT to CLOSE
  std::array<std::uint64_t, 2> resets{};       // by Side that sent them
  std::array<std::uint64_t, 2> retransmits{};  // by Segment
  // Lifetimes (ESTABLISHED to close), per bucket (not cumulative).
  std::array<std::uint64_t, kLifetimeBuckets> lifetimes{};
  double lifetime_seconds = 0;  // their sum

  std::uint64_t Closes() const { return closes[0] + closes[1] + closes[2]; }
  std::uint64_t Closes(Closer c) const {
    return closes[static_cast<std::size_t>(c)];
  }
  // Events of all kinds: how busy the port is.
  std::uint64_t Activity() const;
  ChurnCounts& operator+=(const ChurnCounts& more);
  friend bool operator==(const ChurnCounts&, const ChurnCounts&) = default;
};

// One port's churn in one network namespace, as the kernel program keeps
// it.
struct ChurnEntry {
  std::uint64_t netns = 0;  // namespace inode
  Direction direction = Direction::kInbound;
  std::uint16_t port = 0;
  ChurnCounts counts;
};

// What the event source can and did do.
struct EventsStatus {
  bool enabled = false;
  // Why not, as the metric's reason label: "off" (not asked for),
  // "no_btf", "permission", "unsupported"; "" when enabled.
  std::string reason = "off";
};

// Events seen but not counted on a port.
struct ChurnLosses {
  std::uint64_t map_full = 0;          // a new port found the map full
  std::uint64_t untracked_closes = 0;  // connections older than the program
  std::uint64_t unplaced = 0;          // resets and retransmits with no port
};

// One reading of every namespace's churn.
struct ChurnReading {
  EventsStatus status;
  std::vector<ChurnEntry> entries;
  ChurnLosses losses;
};

// One port's churn as a snapshot carries it, or that of every port beyond
// the cap (port nullopt: "other").
struct ChurnRow {
  Direction direction = Direction::kInbound;
  std::optional<std::uint16_t> port;
  ChurnCounts counts;
  // Its lifetime histogram is exported (the busiest ports only).
  bool with_lifetimes = false;
};

// The rows of namespace `netns` of `reading`: the `max_ports` busiest
// ports per direction (by Activity), the rest summed as "other", busiest
// first; the `lifetime_ports` busiest of each direction keep their
// histogram.
std::vector<ChurnRow> ChurnRowsOf(const ChurnReading& reading,
                                  std::uint64_t netns, std::size_t max_ports,
                                  std::size_t lifetime_ports);

// Keeps the first `keep` ports of each direction of `rows` (as
// ChurnRowsOf orders them); the rest are summed into the direction's
// "other" row. Returns how many ports were folded.
std::size_t FoldChurnRows(std::vector<ChurnRow>& rows, std::size_t keep);

// Rates per second of one row between two readings `seconds` apart.
struct ChurnRate {
  Direction direction = Direction::kInbound;
  std::optional<std::uint16_t> port;
  double opens = 0;
  std::array<double, 3> closes{};  // by Closer
  double failed_connects = 0;
  std::array<double, 2> resets{};
  std::array<double, 2> retransmits{};

  double Closes() const { return closes[0] + closes[1] + closes[2]; }
  // Everything per second, as ChurnCounts::Activity: what "busiest" means.
  double Activity() const;
  // Of its closes, the share this host began (0 without closes).
  double ClosedHereShare() const;
};

// Rates of the rows of `now` against `before`, busiest first. A port
// missing from `before` had no events then (rows start at the first),
// unless `before` folded ports of its direction into "other"; then, and
// where counters went back (a new program), the row is left out.
std::vector<ChurnRate> ChurnRates(const std::vector<ChurnRow>& now,
                                  const std::vector<ChurnRow>& before,
                                  double seconds);

}  // namespace tcpstated
