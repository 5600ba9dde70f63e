#include "aggregator.h"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <vector>

#include "tcpstated/count/stall_rules.h"

namespace tcpstated {

// Dense per-port tables, indexed by port number. Mapped anonymously so that
// the kernel hands out zero pages lazily: only rows of ports in use ever
// become resident, which keeps RSS flat from 10 to 1,000,000 sockets.
// (calloc is not enough: once glibc frees a large chunk it raises its mmap
// threshold, and the next calloc comes from the heap and is memset whole.)
struct Aggregator::Tables {
  using Row = std::array<std::uint32_t, kTcpStateCount>;
  Row rows[kDirectionCount][65536];
  // Stalled sockets and their queued bytes, by kind (StallKind).
  std::uint32_t stalled[kDirectionCount][65536][kStallKindCount];
  std::uint64_t stalled_bytes[kDirectionCount][65536][kStallKindCount];
  std::uint64_t queue_length[65536];
  std::uint64_t queue_limit[65536];
};

Aggregator::Tables* Aggregator::AllocateTables() {
  void* memory = ::mmap(nullptr, sizeof(Tables), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::bad_alloc();
  return static_cast<Tables*>(memory);
}

void Aggregator::FreeTables(Tables* tables) {
  ::munmap(tables, sizeof(Tables));
}

namespace {

struct PortLoad {
  std::uint16_t port;
  std::uint64_t sockets;
};

}  // namespace

Aggregator::Aggregator(const CountSettings& options,
                       const PortSet* known_listeners,
                       CloseWaitObserver* close_wait)
    : options_(options),
      range_(options.ephemeral_range.value_or(PortRange{})),
      tables_(AllocateTables(), FreeTables),
      close_wait_(close_wait) {
  if (known_listeners != nullptr) listening_ = *known_listeners;
}

Aggregator::~Aggregator() = default;

void Aggregator::OnRecord(const SocketRecord& record) noexcept {
  const std::size_t state = Index(record.state);
  ++families_[static_cast<std::size_t>(record.family)][state];

  if (record.state == TcpState::kListen) {
    const std::uint16_t port = record.local_port;
    if (!listening_.test(port)) {
      listening_.set(port);
      if (seen_.test(port)) missed_listener_ = true;
    }
    tables_->queue_length[port] += record.rqueue;
    tables_->queue_limit[port] += record.wqueue;
    tables_->rows[static_cast<std::size_t>(Direction::kInbound)][port][state]++;
    used_[static_cast<std::size_t>(Direction::kInbound)].set(port);
    cgroups_.Add(record, {Direction::kInbound, port});
    return;
  }

  seen_.set(record.local_port);
  seen_.set(record.remote_port);
  const PortClass cls =
      ClassifyPorts(record.local_port, record.remote_port, listening_, range_);
  const auto direction = static_cast<std::size_t>(cls.direction);
  tables_->rows[direction][cls.port][state]++;
  used_[direction].set(cls.port);
  // A client socket holds one of the ephemeral ports usable toward its
  // destination.
  if (range_.Contains(record.local_port) &&
      !listening_.test(record.local_port)) {
    remote_endpoints_.Add(record);
  }
  cgroups_.Add(record, cls);
  if (MayBeStalled(record)) [[unlikely]] {
    CountStalls(record, direction, cls.port);
  }
  if (close_wait_ != nullptr && record.state == TcpState::kCloseWait) {
    close_wait_->OnCloseWait(record.cookie, cls);
  }
}

// Only for a socket with something queued or a retransmit or probe timer.
void Aggregator::CountStalls(const SocketRecord& record, std::size_t direction,
                             std::uint16_t port) noexcept {
  if (record.state != TcpState::kEstablished &&
      record.state != TcpState::kCloseWait) {
    return;
  }
  auto& sockets = tables_->stalled[direction][port];
  auto& bytes = tables_->stalled_bytes[direction][port];
  for (StallKind kind : kAllStallKinds) {
    if (!IsStalled(record, kind)) continue;
    const auto k = static_cast<std::size_t>(kind);
    ++sockets[k];
    bytes[k] += StalledBytes(record, kind);
  }
}

void Aggregator::Fill(Snapshot& snapshot) const {
  snapshot.families = families_;
  snapshot.ports.clear();
  snapshot.folded_candidates.clear();
  snapshot.ephemeral_range = range_;
  snapshot.listening = listening_;
  snapshot.remote_endpoints =
      remote_endpoints_.Top(options_.top_remote_endpoints);
  snapshot.remote_endpoints_overflow = remote_endpoints_.overflow();
  for (Direction direction : kAllDirections) FillPorts(direction, snapshot);
  FillListenQueues(snapshot);
}

PortRow Aggregator::RowOf(Direction direction, std::uint16_t port) const {
  const auto d = static_cast<std::size_t>(direction);
  PortRow row{direction, port, {}, {}};
  const auto& counts = tables_->rows[d][port];
  std::copy(counts.begin(), counts.end(), row.states.begin());
  for (std::size_t k = 0; k < kStallKindCount; ++k) {
    row.stalls.sockets[k] = tables_->stalled[d][port][k];
    row.stalls.bytes[k] = tables_->stalled_bytes[d][port][k];
  }
  return row;
}

// The busiest ports of one direction, then the rest summed as "other";
// folded ports busy enough to pile up are kept as candidates.
void Aggregator::FillPorts(Direction direction, Snapshot& snapshot) const {
  const auto d = static_cast<std::size_t>(direction);
  std::vector<PortLoad> loads;
  // _Find_next (libstdc++) jumps word by word to the next set bit.
  for (std::size_t port = used_[d]._Find_first(); port < 65536;
       port = used_[d]._Find_next(port)) {
    const auto& row = tables_->rows[d][port];
    std::uint64_t sockets = 0;
    for (std::uint32_t n : row) sockets += n;
    loads.push_back({static_cast<std::uint16_t>(port), sockets});
  }
  const auto busier = [](const PortLoad& a, const PortLoad& b) {
    return a.sockets != b.sockets ? a.sockets > b.sockets : a.port < b.port;
  };
  const std::size_t kept = std::min(loads.size(), options_.max_ports);
  std::partial_sort(loads.begin(), loads.begin() + kept, loads.end(), busier);

  for (std::size_t i = 0; i < kept; ++i) {
    snapshot.ports.push_back(RowOf(direction, loads[i].port));
  }
  snapshot.ports_folded[d] = loads.size() - kept;
  if (kept == loads.size()) return;
  PortRow other{direction, std::nullopt, {}, {}};
  for (std::size_t i = kept; i < loads.size(); ++i) {
    const PortRow row = RowOf(direction, loads[i].port);
    AddTo(other.states, row.states);
    for (std::size_t k = 0; k < kStallKindCount; ++k) {
      other.stalls.sockets[k] += row.stalls.sockets[k];
      other.stalls.bytes[k] += row.stalls.bytes[k];
    }
    const bool candidate =
        *std::max_element(row.states.begin(), row.states.end()) >=
            options_.candidate_min_sockets ||
        *std::max_element(row.stalls.sockets.begin(),
                          row.stalls.sockets.end()) >=
            options_.candidate_min_sockets;
    if (candidate) snapshot.folded_candidates.push_back(row);
  }
  snapshot.ports.push_back(other);
  // Busiest first (the largest count of a state or stall), then bounded.
  const auto peak = [](const PortRow& r) {
    return std::max(
        *std::max_element(r.states.begin(), r.states.end()),
        *std::max_element(r.stalls.sockets.begin(), r.stalls.sockets.end()));
  };
  auto& candidates = snapshot.folded_candidates;
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [&](const PortRow& a, const PortRow& b) { return peak(a) > peak(b); });
  if (candidates.size() > options_.max_candidates) {
    candidates.resize(options_.max_candidates);
  }
}

void Aggregator::FillListenQueues(Snapshot& snapshot) const {
  snapshot.listen_queues.clear();
  for (std::size_t port = listening_._Find_first(); port < 65536;
       port = listening_._Find_next(port)) {
    // A known listener that has gone since the last pass has no LISTEN row.
    const auto& row =
        tables_->rows[static_cast<std::size_t>(Direction::kInbound)][port];
    if (row[Index(TcpState::kListen)] == 0) continue;
    snapshot.listen_queues.push_back({static_cast<std::uint16_t>(port),
                                      tables_->queue_length[port],
                                      tables_->queue_limit[port]});
  }
}

}  // namespace tcpstated
