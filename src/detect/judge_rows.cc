#include "judge_rows.h"

#include <algorithm>

namespace tcpstated {
namespace {

// tcp_max_tw_buckets where the snapshot has no sysctls (a replayed dump):
// the kernel's default on a host with 1 GiB of memory or more.
constexpr double kDefaultTimeWaitBuckets = 262144;

const ListenQueue* QueueOf(const Snapshot& s, std::uint16_t port) {
  for (const ListenQueue& q : s.listen_queues) {
    if (q.port == port) return &q;
  }
  return nullptr;
}

bool AtLimit(const ListenQueue& q) {
  return q.limit > 0 ? q.length >= q.limit : q.length > 0;
}

// The backlog the kernel applies is min(listen()'s, net.core.somaxconn):
// when it equals somaxconn, that is very likely what capped it.
LimitSource BacklogSource(const Snapshot& s, std::uint64_t limit) {
  const auto somaxconn = s.Sysctl("somaxconn");
  return somaxconn && limit > 0 && static_cast<double>(limit) == *somaxconn
             ? LimitSource::kSomaxconn
             : LimitSource::kBacklog;
}

// SYN_SENT sockets of this namespace toward a port it listens on itself.
std::uint64_t LocalConnects(const Snapshot& s, std::uint16_t port) {
  for (const PortRow& row : s.ports) {
    if (row.port == port && row.direction == Direction::kOutbound) {
      return row.states[Index(TcpState::kSynSent)];
    }
  }
  return 0;
}

Finding AcceptQueue(const JudgeContext& c, const ListenQueue& q,
                    std::optional<double> overflows) {
  Finding f =
      c.Make(FindingKind::kAcceptQueue, Direction::kInbound, q.port, q.length);
  f.limit = q.limit;
  f.limit_source = BacklogSource(c.snapshot, q.limit);
  f.rate = overflows;
  f.detail = LocalConnects(c.snapshot, q.port);
  const bool dropping = q.length > q.limit || (overflows && *overflows > 0);
  f.severity = dropping ? Severity::kCritical : Severity::kWarning;
  return f;
}

}  // namespace

JudgeContext::JudgeContext(const Snapshot& s, const FindingRules& r)
    : snapshot(s), rules(r), total(Total(s.Totals())) {}

double JudgeContext::ShareOfAll(std::uint64_t n) const {
  return total == 0 ? 0 : static_cast<double>(n) / static_cast<double>(total);
}

Finding JudgeContext::Make(FindingKind kind, Direction direction,
                           std::optional<std::uint16_t> port,
                           std::uint64_t sockets) const {
  Finding f;
  f.kind = kind;
  f.direction = direction;
  if (port) f.ports = {*port};
  f.sockets = sockets;
  f.share = ShareOfAll(sockets);
  f.since = snapshot.taken_at;
  return f;
}

void JudgeAcceptQueues(const JudgeContext& c, std::vector<Finding>& out) {
  const Snapshot& s = c.snapshot;
  const auto overflows = s.Rate(KernelCounter::kListenOverflows);
  bool any = false;
  for (const ListenQueue& q : s.listen_queues) {
    if (!AtLimit(q)) continue;
    out.push_back(AcceptQueue(c, q, overflows));
    any = true;
  }
  if (any || !overflows || *overflows <= 0) return;
  // Overflowing, and no queue full at this instant (bursts): the counter
  // is the namespace's, so the fullest queue is the likely one.
  const ListenQueue* fullest = nullptr;
  for (const ListenQueue& q : s.listen_queues) {
    const auto fill = [](const ListenQueue& x) {
      return static_cast<double>(x.length) / static_cast<double>(x.limit + 1);
    };
    if (q.length > 0 && (fullest == nullptr || fill(q) > fill(*fullest))) {
      fullest = &q;
    }
  }
  Finding f = fullest != nullptr ? AcceptQueue(c, *fullest, overflows)
                                 : c.Make(FindingKind::kAcceptQueue,
                                          Direction::kInbound, std::nullopt, 0);
  f.rate = overflows;
  f.severity = Severity::kCritical;
  out.push_back(std::move(f));
}

void JudgePortExhaustion(const JudgeContext& c, std::vector<Finding>& out) {
  const Snapshot& s = c.snapshot;
  const auto range = static_cast<double>(s.ephemeral_range.Size());
  for (const RemoteEndpoint& e : s.remote_endpoints) {
    const double share = static_cast<double>(e.sockets) / range;
    if (share < c.rules.port_min_share) continue;
    Finding f = c.Make(FindingKind::kPortExhaustion, Direction::kOutbound,
                       e.port, e.sockets);
    f.destination = AddressCount{e.family, e.address, e.sockets};
    f.limit = s.ephemeral_range.Size();
    f.limit_source = LimitSource::kPortRange;
    f.detail = e.time_wait;
    f.severity = share >= 0.9 ? Severity::kCritical : Severity::kWarning;
    f.rate = s.Rate(KernelCounter::kActiveOpens);
    out.push_back(std::move(f));
  }
}

void JudgeTimeWaitTable(const JudgeContext& c, std::vector<Finding>& out) {
  const Snapshot& s = c.snapshot;
  const std::uint64_t time_wait = s.Totals()[Index(TcpState::kTimeWait)];
  const auto buckets = s.Sysctl("tcp_max_tw_buckets");
  const auto overflows = s.Rate(KernelCounter::kTimeWaitOverflows);
  const bool near = buckets && *buckets > 0 &&
                    static_cast<double>(time_wait) >= 0.9 * *buckets;
  if (!near && !(overflows && *overflows > 0)) return;
  // Where most of them are: the port to look at first.
  const PortRow* busiest = nullptr;
  for (const PortRow& row : s.ports) {
    const auto n = row.states[Index(TcpState::kTimeWait)];
    if (row.port && n > 0 &&
        (busiest == nullptr ||
         n > busiest->states[Index(TcpState::kTimeWait)])) {
      busiest = &row;
    }
  }
  Finding f = c.Make(FindingKind::kTimeWaitTable,
                     busiest ? busiest->direction : Direction::kInbound,
                     busiest ? busiest->port : std::nullopt, time_wait);
  f.limit = buckets ? static_cast<std::uint64_t>(*buckets) : 0;
  f.limit_source = LimitSource::kTimeWaitTable;
  f.rate = overflows;
  f.severity = Severity::kCritical;
  out.push_back(std::move(f));
}

void JudgePileups(const JudgeContext& c, const PortRow& row,
                  std::vector<Finding>& out) {
  const Snapshot& s = c.snapshot;
  const FindingRules& rules = c.rules;
  const std::uint16_t port = *row.port;
  const bool inbound = row.direction == Direction::kInbound;
  for (TcpState state : kAllTcpStates) {
    const auto kind = PileupKindOf(state);
    const std::uint64_t n = row.states[Index(state)];
    if (!kind || n == 0) continue;
    Finding f = c.Make(*kind, row.direction, port, n);
    switch (state) {
      case TcpState::kSynSent: {
        // Clients of a local listener whose accept queue is full are the
        // accept queue's story, told there.
        const ListenQueue* q = QueueOf(s, port);
        if (n < rules.min_sockets || (!inbound && q && AtLimit(*q))) continue;
        f.rate = s.Rate(KernelCounter::kSynRetransmits);
        break;
      }
      case TcpState::kSynRecv: {
        const ListenQueue* q = QueueOf(s, port);
        // Request sockets beyond the listen backlog are dropped (or
        // answered with SYN cookies): half of it is a warning.
        const std::uint64_t limit = q ? q->limit : 0;
        if (!inbound || n < std::max<std::uint64_t>(16, limit / 2)) continue;
        f.limit = limit;
        f.limit_source = BacklogSource(s, limit);
        f.rate = s.Rate(KernelCounter::kListenDrops);
        break;
      }
      case TcpState::kCloseWait:
        if (n < rules.min_sockets) continue;
        break;
      case TcpState::kTimeWait: {
        // Client-side TIME_WAIT is judged by the ports it takes toward
        // its destination (kPortExhaustion).
        const double buckets =
            s.Sysctl("tcp_max_tw_buckets").value_or(kDefaultTimeWaitBuckets);
        const std::uint64_t established =
            row.states[Index(TcpState::kEstablished)];
        if (!inbound ||
            static_cast<double>(n) < rules.time_wait_min_share * buckets ||
            static_cast<double>(n) <
                rules.time_wait_per_established *
                    static_cast<double>(
                        std::max<std::uint64_t>(1, established))) {
          continue;
        }
        f.limit = static_cast<std::uint64_t>(buckets);
        f.limit_source = LimitSource::kTimeWaitTable;
        f.detail = established;
        f.rate = s.Rate(KernelCounter::kTimeWaitsEntered);
        break;
      }
      default:  // the closing states
        if (n < rules.closing_min_sockets) continue;
        break;
    }
    out.push_back(std::move(f));
  }
}

void JudgeStalls(const JudgeContext& c, const PortRow& row,
                 std::vector<Finding>& out) {
  const std::uint64_t min = c.rules.stall_min_sockets;
  const StallCounts& st = row.stalls;
  const auto add = [&](FindingKind kind, std::uint64_t n, std::uint64_t bytes,
                       std::uint64_t detail) {
    Finding f = c.Make(kind, row.direction, row.port, n);
    f.bytes = bytes;
    f.detail = detail;
    out.push_back(std::move(f));
  };
  const std::uint64_t unread = st.Sockets(StallKind::kUnread);
  const std::uint64_t close_wait = row.states[Index(TcpState::kCloseWait)];
  // Unread data on CLOSE_WAIT sockets of a CLOSE_WAIT pileup is part of
  // that pileup's story (its holder does not read them either).
  if (unread >= min &&
      !(close_wait >= c.rules.min_sockets && unread <= close_wait)) {
    add(FindingKind::kUnread, unread, st.Bytes(StallKind::kUnread), 0);
  }
  if (st.Sockets(StallKind::kZeroWindow) >= min) {
    add(FindingKind::kPeerNotReading, st.Sockets(StallKind::kZeroWindow),
        st.Bytes(StallKind::kZeroWindow), 0);
  }
  const std::uint64_t not_sent = st.Sockets(StallKind::kNotSent);
  const std::uint64_t unacknowledged =
      st.Sockets(StallKind::kRetransmitting) + not_sent;
  if (unacknowledged >= min) {
    add(FindingKind::kUnacknowledged, unacknowledged,
        st.Bytes(StallKind::kRetransmitting) + st.Bytes(StallKind::kNotSent),
        not_sent);
  }
}

}  // namespace tcpstated
