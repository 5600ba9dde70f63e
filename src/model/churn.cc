#include "tcpstated/model/churn.h"

#include <algorithm>
#include <map>
#include <utility>

namespace tcpstated {

std::string_view CloserName(Closer closer) {
  switch (closer) {
    case Closer::kHere:
      return "here";
    case Closer::kThere:
      return "there";
    case Closer::kReset:
      return "reset";
  }
  return "?";
}

std::string_view SideName(Side side) {
  return side == Side::kHere ? "here" : "there";
}

std::string_view SegmentName(Segment segment) {
  return segment == Segment::kData ? "data" : "syn";
}

std::uint64_t ChurnCounts::Activity() const {
  return opens + Closes() + failed_connects + resets[0] + resets[1] +
         retransmits[0] + retransmits[1];
}

ChurnCounts& ChurnCounts::operator+=(const ChurnCounts& more) {
  opens += more.opens;
  for (std::size_t i = 0; i < closes.size(); ++i) closes[i] += more.closes[i];
  failed_connects += more.failed_connects;
  for (std::size_t i = 0; i < resets.size(); ++i) resets[i] += more.resets[i];
  for (std::size_t i = 0; i < retransmits.size(); ++i) {
    retransmits[i] += more.retransmits[i];
  }
  for (std::size_t i = 0; i < lifetimes.size(); ++i) {
    lifetimes[i] += more.lifetimes[i];
  }
  lifetime_seconds += more.lifetime_seconds;
  return *this;
}

namespace {

bool Busier(const ChurnRow& a, const ChurnRow& b) {
  const auto ka = a.counts.Activity(), kb = b.counts.Activity();
  if (ka != kb) return ka > kb;
  return a.port < b.port;  // a stable order among equals
}

}  // namespace

std::size_t FoldChurnRows(std::vector<ChurnRow>& rows, std::size_t keep) {
  std::vector<ChurnRow> kept;
  std::size_t folded = 0;
  for (Direction d : kAllDirections) {
    std::size_t kept_here = 0;
    std::optional<ChurnRow> other;
    for (const ChurnRow& row : rows) {
      if (row.direction != d) continue;
      if (row.port && kept_here < keep) {
        kept.push_back(row);
        ++kept_here;
        continue;
      }
      if (!other) other = ChurnRow{d, std::nullopt, {}, false};
      other->counts += row.counts;
      if (row.port) ++folded;
    }
    if (other) kept.push_back(*other);
  }
  rows = std::move(kept);
  return folded;
}

std::vector<ChurnRow> ChurnRowsOf(const ChurnReading& reading,
                                  std::uint64_t netns, std::size_t max_ports,
                                  std::size_t lifetime_ports) {
  std::vector<ChurnRow> rows;
  for (const ChurnEntry& e : reading.entries) {
    // Ports that only take connections (an empty inbound key) have no
    // churn to show yet.
    if (e.netns != netns || e.counts.Activity() == 0) continue;
    rows.push_back({e.direction, e.port, e.counts, false});
  }
  std::sort(rows.begin(), rows.end(), Busier);
  FoldChurnRows(rows, max_ports);
  std::array<std::size_t, kDirectionCount> with{};
  for (ChurnRow& row : rows) {
    auto& n = with[static_cast<std::size_t>(row.direction)];
    if (row.port && n < lifetime_ports) {
      row.with_lifetimes = true;
      ++n;
    }
  }
  return rows;
}

double ChurnRate::ClosedHereShare() const {
  const double all = Closes();
  return all > 0 ? closes[0] / all : 0;
}

double ChurnRate::Activity() const {
  return opens + Closes() + failed_connects + resets[0] + resets[1] +
         retransmits[0] + retransmits[1];
}

namespace {

// Whether no counter of `now` is below `before`'s: else the counts started
// over (a new program) and the difference means nothing.
bool NoneWentBack(const ChurnCounts& now, const ChurnCounts& before) {
  bool back =
      now.opens < before.opens || now.failed_connects < before.failed_connects;
  for (std::size_t i = 0; i < now.closes.size(); ++i) {
    back = back || now.closes[i] < before.closes[i];
  }
  for (std::size_t i = 0; i < now.resets.size(); ++i) {
    back = back || now.resets[i] < before.resets[i] ||
           now.retransmits[i] < before.retransmits[i];
  }
  return !back;
}

}  // namespace

std::vector<ChurnRate> ChurnRates(const std::vector<ChurnRow>& now,
                                  const std::vector<ChurnRow>& before,
                                  double seconds) {
  std::vector<ChurnRate> rates;
  if (seconds <= 0) return rates;
  std::map<std::pair<Direction, std::optional<std::uint16_t>>,
           const ChurnCounts*>
      earlier;
  std::array<bool, kDirectionCount> folded_before{};
  for (const ChurnRow& row : before) {
    earlier[{row.direction, row.port}] = &row.counts;
    if (!row.port)
      folded_before[static_cast<std::size_t>(row.direction)] = true;
  }
  const ChurnCounts none;
  const auto per_second = [&](std::uint64_t a, std::uint64_t b) {
    return static_cast<double>(a - b) / seconds;
  };
  for (const ChurnRow& row : now) {
    const auto found = earlier.find({row.direction, row.port});
    // A port the reading before did not have had no events then, unless
    // that reading folded ports: then where it was is not known.
    if (found == earlier.end() &&
        (!row.port || folded_before[static_cast<std::size_t>(row.direction)])) {
      continue;
    }
    const ChurnCounts& b = found == earlier.end() ? none : *found->second;
    const ChurnCounts& a = row.counts;
    if (!NoneWentBack(a, b)) continue;
    ChurnRate r{row.direction, row.port};
    r.opens = per_second(a.opens, b.opens);
    for (std::size_t i = 0; i < r.closes.size(); ++i) {
      r.closes[i] = per_second(a.closes[i], b.closes[i]);
    }
    for (std::size_t i = 0; i < r.resets.size(); ++i) {
      r.resets[i] = per_second(a.resets[i], b.resets[i]);
      r.retransmits[i] = per_second(a.retransmits[i], b.retransmits[i]);
    }
    r.failed_connects = per_second(a.failed_connects, b.failed_connects);
    rates.push_back(r);
  }
  std::stable_sort(rates.begin(), rates.end(),
                   [](const ChurnRate& x, const ChurnRate& y) {
                     return x.Activity() > y.Activity();
                   });
  return rates;
}

}  // namespace tcpstated
