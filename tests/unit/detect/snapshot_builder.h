#pragma once

#include <cstdint>
#include <string>

#include "tcpstated/model/snapshot.h"

namespace tcpstated::testing {

// Snapshots as a collection would fill them, built by hand: detect/ tests
// link nothing that counts dumps.
class SnapshotBuilder {
 public:
  // `n` sockets of `state` on a classified port (a row of its own).
  SnapshotBuilder& Port(Direction direction, std::uint16_t port, TcpState state,
                        std::uint64_t n) {
    PortRow& row = Row(direction, port);
    row.states[Index(state)] += n;
    s_.families[0][Index(state)] += n;
    return *this;
  }
  SnapshotBuilder& Stalled(Direction direction, std::uint16_t port,
                           StallKind kind, std::uint64_t n,
                           std::uint64_t bytes) {
    Row(direction, port).stalls.Add(kind, n, bytes);
    return *this;
  }
  SnapshotBuilder& Listener(std::uint16_t port, std::uint64_t queued,
                            std::uint64_t limit) {
    s_.listen_queues.push_back({port, queued, limit});
    s_.listening.set(port);
    return Port(Direction::kInbound, port, TcpState::kListen, 1);
  }
  SnapshotBuilder& Destination(std::array<std::uint8_t, 16> address,
                               std::uint16_t port, std::uint64_t sockets,
                               std::uint64_t time_wait) {
    s_.remote_endpoints.push_back(
        {Family::kIpv4, address, port, sockets, time_wait, 0});
    return *this;
  }
  SnapshotBuilder& Sysctl(const std::string& name, double value) {
    s_.sysctls.push_back({name, value});
    return *this;
  }
  SnapshotBuilder& Range(std::uint16_t low, std::uint16_t high) {
    s_.ephemeral_range = {low, high};
    return *this;
  }
  // Two readings `seconds` apart, `counter` rising by `delta`.
  SnapshotBuilder& Rising(KernelCounter counter, std::uint64_t delta,
                          double seconds = 1) {
    if (!s_.kernel_before) s_.kernel_before = KernelCounters{};
    (*s_.kernel_before)[static_cast<std::size_t>(counter)] = 100;
    s_.kernel[static_cast<std::size_t>(counter)] = 100 + delta;
    s_.kernel_interval = std::chrono::duration<double>(seconds);
    return *this;
  }
  // Moves a row from the kept ports to the ports the cap folded.
  SnapshotBuilder& Fold(Direction direction, std::uint16_t port) {
    for (auto it = s_.ports.begin(); it != s_.ports.end(); ++it) {
      if (it->direction == direction && it->port == port) {
        s_.folded_candidates.push_back(*it);
        PortRow other = *it;
        other.port.reset();
        s_.ports.erase(it);
        s_.ports.push_back(other);
        break;
      }
    }
    return *this;
  }
  // The event source saw `here` and `there` closes (by who closed first)
  // and `failed` failed connects on the port over the last second.
  SnapshotBuilder& Churn(Direction direction, std::uint16_t port,
                         std::uint64_t here, std::uint64_t there,
                         std::uint64_t failed = 0) {
    s_.churn_enabled = true;
    if (!s_.churn_before) s_.churn_before.emplace();
    s_.churn_before->push_back(ChurnRow{direction, port, {}, false});
    ChurnRow now{direction, port, {}, false};
    now.counts.opens = here + there;
    now.counts.closes = {here, there, 0};
    now.counts.failed_connects = failed;
    s_.churn.push_back(now);
    s_.churn_interval = std::chrono::seconds(1);
    return *this;
  }
  const Snapshot& Get() const { return s_; }
  Snapshot& Mutable() { return s_; }

 private:
  PortRow& Row(Direction direction, std::uint16_t port) {
    for (PortRow& row : s_.ports) {
      if (row.direction == direction && row.port == port) return row;
    }
    s_.ports.push_back(PortRow{direction, port, {}, {}});
    return s_.ports.back();
  }
  Snapshot s_;
};

}  // namespace tcpstated::testing
