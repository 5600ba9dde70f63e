#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "tcpstated/diag/socket_record.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Counts client sockets per (remote address, remote port): each such
// destination can take at most one connection per ephemeral port, so the
// busiest one is where connect() starts failing with EADDRNOTAVAIL. A
// fixed table (open addressing, no allocation while counting); sockets to
// destinations beyond its capacity are counted as overflow.
class RemoteEndpointCounter {
 public:
  static constexpr std::size_t kCapacity = 16384;

  RemoteEndpointCounter();
  ~RemoteEndpointCounter();
  RemoteEndpointCounter(const RemoteEndpointCounter&) = delete;
  RemoteEndpointCounter& operator=(const RemoteEndpointCounter&) = delete;

  void Add(const SocketRecord& record) noexcept;
  // The `k` busiest destinations, busiest first.
  std::vector<RemoteEndpoint> Top(std::size_t k) const;
  std::uint64_t overflow() const { return overflow_; }

 private:
  struct Slot {
    std::array<std::uint8_t, 16> address;
    std::uint16_t port;
    std::uint8_t family;  // 0: empty, 1: IPv4, 2: IPv6
    std::uint32_t sockets;
    std::uint32_t time_wait;
    std::uint32_t syn_sent;
  };
  std::unique_ptr<Slot[]> slots_;
  std::size_t used_ = 0;
  std::uint64_t overflow_ = 0;
};

}  // namespace tcpstated
