#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tcpstated/diag/dump_source.h"

namespace tcpstated {

class RawDumpWriter;

// Which netlink request asks for the sockets.
enum class DiagRequest {
  // TCPDIAG_GETSOCK, the pre-sock_diag request: the kernel answers it with
  // both address families in one walk of its socket hash tables.
  kLegacyOneWalk,
  // SOCK_DIAG_BY_FAMILY, once for AF_INET and once for AF_INET6: two walks.
  kPerFamily,
};

struct SockDiagOptions {
  DiagRequest request = DiagRequest::kLegacyOneWalk;
  // Bytes handed to each recv(); the kernel never builds dump messages
  // larger than 32 KiB, so a larger buffer gains nothing.
  std::size_t receive_buffer = 32 * 1024;
  // Only sockets in these states (KernelStateBits); 0: all of them.
  std::uint32_t kernel_states = 0;
  // Ask for INET_DIAG_INFO (struct tcp_info). Costs kernel time on every
  // socket dumped, so only for small targeted dumps.
  bool tcp_info = false;
};

// Dumps every TCP socket of the calling thread's network namespace over
// NETLINK_SOCK_DIAG: all states (TIME_WAIT and request sockets included),
// no extensions. A new netlink socket per dump, so an aborted dump leaves
// nothing behind for the next one. A `recorder` receives the raw bytes of
// the first complete dump only.
class SockDiagSource final : public DumpSource {
 public:
  explicit SockDiagSource(const SockDiagOptions& options = {},
                          RawDumpWriter* recorder = nullptr);
  DumpStats Dump(RecordSink& sink) override;

 private:
  DumpStats DumpWith(DiagRequest kind, RecordSink& sink);
  DumpStats Walk(DiagRequest kind, RecordSink& sink);

  SockDiagOptions options_;
  RawDumpWriter* recorder_;
};

std::string_view DiagRequestName(DiagRequest request);

}  // namespace tcpstated
