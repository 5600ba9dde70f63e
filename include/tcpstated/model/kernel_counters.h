#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpstated {

// The kernel's own evidence about TCP in a namespace, from
// /proc/net/{netstat,snmp,sockstat}: what the states alone cannot say
// (something is already being dropped, refused or destroyed).
enum class KernelCounter : std::uint8_t {
  // Counters since boot (or since the namespace was made).
  kListenOverflows,    // TcpExt ListenOverflows: accept queue was full
  kListenDrops,        // TcpExt ListenDrops: SYNs to a listener dropped
  kTimeWaitOverflows,  // TcpExt TCPTimeWaitOverflow: tcp_max_tw_buckets hit
  kTimeWaitsEntered,   // TcpExt TW + TWKilled: TIME_WAIT timers started
  kTimeWaitsReused,    // TcpExt TWRecycled: TIME_WAIT ports reused
  kActiveOpens,        // Tcp ActiveOpens: connect()s
  kPassiveOpens,       // Tcp PassiveOpens: accepted handshakes
  kConnectFailures,    // Tcp AttemptFails
  kResetsSent,         // Tcp OutRsts
  kSyncookiesSent,     // TcpExt SyncookiesSent: SYN queue overflowed
  kAbortOnClose,       // TcpExt TCPAbortOnClose: closed with unread data
  kAbortOnData,        // TcpExt TCPAbortOnData: data after close
  kAbortOnTimeout,     // TcpExt TCPAbortOnTimeout: retransmits exhausted
  kAbortOnLinger,      // TcpExt TCPAbortOnLinger
  kAbortOnMemory,      // TcpExt TCPAbortOnMemory: out of TCP memory
  kAbortFailed,        // TcpExt TCPAbortFailed: could not even send a RST
  kSynRetransmits,     // TcpExt TCPSynRetrans: SYNs (and SYN-ACKs) sent again
  kRetransmittedSegments,  // Tcp RetransSegs
  kTimeouts,               // TcpExt TCPTimeouts: retransmission timer expiries
  // Gauges, now.
  kOrphans,      // sockstat TCP orphan: closed, not yet finished
  kMemoryPages,  // sockstat TCP mem: pages in use (host-wide)
};
inline constexpr std::size_t kKernelCounterCount = 21;

// nullopt where this kernel does not offer the counter: absent, not 0.
using KernelCounters =
    std::array<std::optional<std::uint64_t>, kKernelCounterCount>;

// Every counter, in the enum's order.
inline constexpr std::array<KernelCounter, kKernelCounterCount>
    kAllKernelCounters = [] {
      std::array<KernelCounter, kKernelCounterCount> all{};
      for (std::size_t i = 0; i < kKernelCounterCount; ++i) {
        all[i] = static_cast<KernelCounter>(i);
      }
      return all;
    }();

// Lower snake case, the report's keys: "listen_overflows", "orphans".
std::string_view KernelCounterName(KernelCounter counter);
// Orphans and memory pages are levels now, not counts since boot.
inline bool IsGauge(KernelCounter counter) {
  return counter == KernelCounter::kOrphans ||
         counter == KernelCounter::kMemoryPages;
}

inline std::optional<std::uint64_t> Get(const KernelCounters& counters,
                                        KernelCounter which) {
  return counters[static_cast<std::size_t>(which)];
}

}  // namespace tcpstated
