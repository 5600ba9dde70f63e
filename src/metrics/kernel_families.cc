#include "kernel_families.h"

#include "metric_builders.h"

namespace tcpstated {
namespace {

using prometheus::MetricType;

struct Plain {
  KernelCounter counter;
  const char* name;
  const char* help;
  MetricType type;
};

constexpr Plain kPlain[] = {
    {KernelCounter::kListenOverflows, "tcpstate_listen_overflows_total",
     "Connections dropped because a listener's accept queue was full "
     "(TcpExt ListenOverflows): the program accepts too slowly or its "
     "backlog is too small; see tcpstate_listen_queue_length.",
     MetricType::Counter},
    {KernelCounter::kListenDrops, "tcpstate_listen_drops_total",
     "SYNs dropped by a listener for any reason, overflows included "
     "(TcpExt ListenDrops).",
     MetricType::Counter},
    {KernelCounter::kTimeWaitOverflows, "tcpstate_time_wait_overflows_total",
     "TIME_WAIT sockets not kept because tcp_max_tw_buckets was reached "
     "(TcpExt TCPTimeWaitOverflow, \"time wait bucket table overflow\"): "
     "the kernel is already cutting TIME_WAIT short.",
     MetricType::Counter},
    {KernelCounter::kTimeWaitsEntered, "tcpstate_time_wait_entered_total",
     "Sockets that entered TIME_WAIT, or an orphaned FIN_WAIT2 kept the same "
     "way (TcpExt TW + TWKilled, counted when the kernel starts their "
     "timer): the rate at which TIME_WAIT sockets are made, which the "
     "tcpstate_sockets gauge cannot show.",
     MetricType::Counter},
    {KernelCounter::kTimeWaitsReused, "tcpstate_time_wait_reused_total",
     "TIME_WAIT ports reused by new outbound connections (TcpExt TWRecycled; "
     "net.ipv4.tcp_tw_reuse).",
     MetricType::Counter},
    {KernelCounter::kActiveOpens, "tcpstate_active_opens_total",
     "Connections this namespace opened (Tcp ActiveOpens).",
     MetricType::Counter},
    {KernelCounter::kPassiveOpens, "tcpstate_passive_opens_total",
     "Connections accepted from peers (Tcp PassiveOpens).",
     MetricType::Counter},
    {KernelCounter::kConnectFailures, "tcpstate_connect_failures_total",
     "Connection attempts that failed (Tcp AttemptFails): refused, reset or "
     "timed out in SYN_SENT or SYN_RECV.",
     MetricType::Counter},
    {KernelCounter::kResetsSent, "tcpstate_resets_sent_total",
     "RST segments sent (Tcp OutRsts).", MetricType::Counter},
    {KernelCounter::kSyncookiesSent, "tcpstate_syncookies_sent_total",
     "SYN cookies sent because a listener's SYN queue overflowed (TcpExt "
     "SyncookiesSent): a SYN flood, or a listener too slow.",
     MetricType::Counter},
    {KernelCounter::kSynRetransmits, "tcpstate_syn_retransmits_total",
     "SYNs and SYN-ACKs sent again because no answer came (TcpExt "
     "TCPSynRetrans): what confirms connects toward a destination that "
     "drops them.",
     MetricType::Counter},
    {KernelCounter::kRetransmittedSegments,
     "tcpstate_retransmitted_segments_total",
     "Segments retransmitted (Tcp RetransSegs): loss on the path, or peers "
     "that stopped answering.",
     MetricType::Counter},
    {KernelCounter::kTimeouts, "tcpstate_timeouts_total",
     "Retransmission timeouts (TcpExt TCPTimeouts): segments unacknowledged "
     "for a whole RTO, not recovered by fast retransmit.",
     MetricType::Counter},
    {KernelCounter::kOrphans, "tcpstate_orphan_sockets",
     "Sockets closed by their program but not yet finished with their peer "
     "(sockstat orphan); the kernel resets them beyond tcp_max_orphans.",
     MetricType::Gauge},
    {KernelCounter::kMemoryPages, "tcpstate_memory_pages",
     "Pages of memory TCP buffers hold, host-wide (sockstat mem); compare "
     "with tcp_mem_pressure and tcp_mem_high in tcpstate_sysctl.",
     MetricType::Gauge},
};

struct Abort {
  KernelCounter counter;
  const char* reason;
};

constexpr Abort kAborts[] = {
    {KernelCounter::kAbortOnClose, "close"},
    {KernelCounter::kAbortOnData, "data"},
    {KernelCounter::kAbortOnTimeout, "timeout"},
    {KernelCounter::kAbortOnLinger, "linger"},
    {KernelCounter::kAbortOnMemory, "memory"},
    {KernelCounter::kAbortFailed, "failed"},
};

}  // namespace

void AddKernelFamilies(const KernelCounters& counters,
                       std::vector<prometheus::MetricFamily>& out) {
  for (const Plain& p : kPlain) {
    auto family = NewFamily(p.name, p.help, p.type);
    if (const auto value = Get(counters, p.counter)) {
      if (p.type == MetricType::Counter) {
        AddCounter(family, {}, static_cast<double>(*value));
      } else {
        AddGauge(family, {}, static_cast<double>(*value));
      }
    }
    out.push_back(std::move(family));
  }
  auto aborts = NewFamily(
      "tcpstate_aborts_total",
      "Connections the kernel reset, by reason (TcpExt TCPAbortOn*): close "
      "(closed with unread data), data (data after close), timeout "
      "(retransmissions or keepalives ran out), linger (SO_LINGER timeout), "
      "memory (out of TCP memory or too many orphans), failed (even the RST "
      "could not be sent).",
      MetricType::Counter);
  for (const Abort& a : kAborts) {
    if (const auto value = Get(counters, a.counter)) {
      AddCounter(aborts, {{"reason", a.reason}}, static_cast<double>(*value));
    }
  }
  out.push_back(std::move(aborts));
}

}  // namespace tcpstated
