#include "remote_endpoint_counter.h"

#include <algorithm>
#include <cstring>

namespace tcpstated {
namespace {

std::uint64_t Hash(const std::array<std::uint8_t, 16>& address,
                   std::uint16_t port) {
  // FNV-1a: cheap, and good enough for addresses and ports.
  std::uint64_t h = 1469598103934665603ull;
  for (std::uint8_t b : address) h = (h ^ b) * 1099511628211ull;
  h = (h ^ (port & 0xff)) * 1099511628211ull;
  return (h ^ (port >> 8)) * 1099511628211ull;
}

}  // namespace

RemoteEndpointCounter::RemoteEndpointCounter()
    : slots_(std::make_unique<Slot[]>(kCapacity)) {}

RemoteEndpointCounter::~RemoteEndpointCounter() = default;

void RemoteEndpointCounter::Add(const SocketRecord& record) noexcept {
  const std::uint8_t family = record.family == Family::kIpv4 ? 1 : 2;
  const std::uint32_t time_wait = record.state == TcpState::kTimeWait;
  const std::uint32_t syn_sent = record.state == TcpState::kSynSent;
  std::size_t i = Hash(record.remote_address, record.remote_port) % kCapacity;
  for (std::size_t probes = 0; probes < kCapacity; ++probes) {
    Slot& slot = slots_[i];
    if (slot.family == 0) {
      // Keep a quarter free: long probe chains would slow every socket.
      if (used_ >= kCapacity * 3 / 4) break;
      slot = {record.remote_address,
              record.remote_port,
              family,
              1,
              time_wait,
              syn_sent};
      ++used_;
      return;
    }
    if (slot.family == family && slot.port == record.remote_port &&
        slot.address == record.remote_address) {
      ++slot.sockets;
      slot.time_wait += time_wait;
      slot.syn_sent += syn_sent;
      return;
    }
    i = (i + 1) % kCapacity;
  }
  ++overflow_;
}

std::vector<RemoteEndpoint> RemoteEndpointCounter::Top(std::size_t k) const {
  std::vector<RemoteEndpoint> all;
  for (std::size_t i = 0; i < kCapacity; ++i) {
    const Slot& slot = slots_[i];
    if (slot.family == 0) continue;
    all.push_back({slot.family == 1 ? Family::kIpv4 : Family::kIpv6,
                   slot.address, slot.port, slot.sockets, slot.time_wait,
                   slot.syn_sent});
  }
  const auto busier = [](const RemoteEndpoint& a, const RemoteEndpoint& b) {
    if (a.sockets != b.sockets) return a.sockets > b.sockets;
    if (a.port != b.port) return a.port < b.port;
    return a.address < b.address;
  };
  const std::size_t kept = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<long>(kept),
                    all.end(), busier);
  all.resize(kept);
  return all;
}

}  // namespace tcpstated
