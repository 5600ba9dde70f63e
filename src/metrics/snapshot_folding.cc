#include "snapshot_folding.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tcpstated {
namespace {

constexpr const char* kOtherOwner = "other";

bool IsOtherOwner(const OwnerSockets& o) { return o.owner == kOtherOwner; }

}  // namespace

void FoldPorts(Snapshot& s, std::size_t keep) {
  std::vector<PortRow> rows;
  std::set<std::pair<Direction, std::uint16_t>> kept;
  for (Direction d : kAllDirections) {
    std::size_t kept_here = 0;
    std::optional<PortRow> other;
    std::uint64_t folded = 0;
    for (const PortRow& row : s.ports) {
      if (row.direction != d) continue;
      if (row.port && kept_here < keep) {
        rows.push_back(row);
        kept.insert({d, *row.port});
        ++kept_here;
        continue;
      }
      if (!other) other = PortRow{d, std::nullopt, {}, {}};
      AddTo(other->states, row.states);
      for (StallKind kind : kAllStallKinds) {
        other->stalls.Add(kind, row.stalls.Sockets(kind),
                          row.stalls.Bytes(kind));
      }
      if (row.port) ++folded;
    }
    if (other) rows.push_back(*other);
    s.ports_folded[static_cast<std::size_t>(d)] += folded;
  }
  s.ports = std::move(rows);
  const auto is_kept = [&](Direction d, std::uint16_t port) {
    return kept.contains({d, port});
  };
  std::erase_if(s.listen_queues, [&](const ListenQueue& q) {
    return !is_kept(Direction::kInbound, q.port);
  });
  std::erase_if(s.close_wait_ages, [&](const CloseWaitAge& a) {
    return !is_kept(a.direction, a.port);
  });
  const auto folded_row = [&](const PortOwner& row) {
    return !is_kept(row.port.direction, row.port.port);
  };
  std::erase_if(s.owners.listeners, folded_row);
  std::erase_if(s.owners.close_waits, folded_row);
  FoldChurnRows(s.churn, keep);
}

void FoldOwners(Attribution& a, std::size_t keep) {
  std::vector<OwnerSockets> rows;
  std::set<std::string> kept;
  std::optional<OwnerSockets> other;
  for (const OwnerSockets& o : a.owners) {
    if (!IsOtherOwner(o) && kept.size() < keep) {
      rows.push_back(o);
      kept.insert(o.owner);
      continue;
    }
    if (!other) other = OwnerSockets{kOtherOwner, {}, {}};
    AddTo(other->states, o.states);
    if (!IsOtherOwner(o)) ++a.owners_folded;
  }
  if (other) rows.push_back(std::move(*other));
  a.owners = std::move(rows);
  const auto folded = [&](const PortOwner& row) {
    return !kept.contains(row.owner);
  };
  std::erase_if(a.listeners, folded);
  std::erase_if(a.close_waits, folded);
}

void KeepFindings(Snapshot& s, std::size_t keep) {
  if (s.findings.size() > keep) s.findings.resize(keep);
}

std::size_t MostPorts(const Snapshot& s) {
  std::size_t most = 0;
  for (Direction d : kAllDirections) {
    const auto n = static_cast<std::size_t>(
        std::count_if(s.ports.begin(), s.ports.end(), [&](const PortRow& r) {
          return r.direction == d && r.port.has_value();
        }));
    const auto churn = static_cast<std::size_t>(
        std::count_if(s.churn.begin(), s.churn.end(), [&](const ChurnRow& r) {
          return r.direction == d && r.port.has_value();
        }));
    most = std::max({most, n, churn});
  }
  return most;
}

std::size_t MostOwners(const Snapshot& s) { return s.owners.owners.size(); }

std::size_t MostFindings(const Snapshot& s) { return s.findings.size(); }

}  // namespace tcpstated
