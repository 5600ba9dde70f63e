#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "cgroup_counter.h"
#include "remote_endpoint_counter.h"
#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/count/collector.h"
#include "tcpstated/count/port_classifier.h"
#include "tcpstated/diag/socket_record.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Folds records into counts as they stream out of the dump: per family and
// state, per classified port and state, and accept queues per listening
// port. Memory is fixed (dense per-port tables, about 6 MiB of address
// space of which only the rows of ports in use become resident), whatever
// the number of sockets.
//
// The kernel walks listeners before other sockets, so each socket is
// classified the moment it arrives against the listeners seen so far (plus
// `known_listeners`, if given). Should a listener arrive after a socket on
// its port was classified, `MissedListener()` says so and the caller
// repeats the dump with `Listening()` as the known set.
class Aggregator final : public RecordSink {
 public:
  // `close_wait`, if given, is told about every CLOSE_WAIT socket.
  explicit Aggregator(const CountSettings& options,
                      const PortSet* known_listeners = nullptr,
                      CloseWaitObserver* close_wait = nullptr);
  ~Aggregator() override;
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  void OnRecord(const SocketRecord& record) noexcept override;

  bool MissedListener() const { return missed_listener_; }
  const PortSet& Listening() const { return listening_; }

  // Fills the counting parts of `snapshot` (families, ports, listen queues,
  // folding); timing and dump statistics are the caller's.
  void Fill(Snapshot& snapshot) const;
  // Full sockets per cgroup, for attribution to their owners.
  CgroupCounts Cgroups() const { return cgroups_.Counts(); }

 private:
  struct Tables;
  void CountStalls(const SocketRecord& record, std::size_t direction,
                   std::uint16_t port) noexcept;
  PortRow RowOf(Direction direction, std::uint16_t port) const;
  void FillPorts(Direction direction, Snapshot& snapshot) const;
  void FillListenQueues(Snapshot& snapshot) const;
  static Tables* AllocateTables();
  static void FreeTables(Tables* tables);

  CountSettings options_;
  PortRange range_;  // the settings' range, or the kernel's default
  std::array<StateCounts, kFamilyCount> families_{};
  PortSet listening_;
  PortSet seen_;  // ports of non-listening sockets classified so far
  std::array<PortSet, kDirectionCount> used_;
  std::unique_ptr<Tables, void (*)(Tables*)> tables_;
  CloseWaitObserver* close_wait_;
  RemoteEndpointCounter remote_endpoints_;
  CgroupCounter cgroups_;
  bool missed_listener_ = false;
};

}  // namespace tcpstated
