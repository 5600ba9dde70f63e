#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "tcpstated/model/ports.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Sums CLOSE_WAIT sockets and their ages per classified port.
class CloseWaitAgeTable {
 public:
  explicit CloseWaitAgeTable(std::chrono::seconds old_after)
      : old_after_(old_after) {}
  void Add(PortClass port, double age_seconds);
  std::vector<CloseWaitAge> OldestFirst() const;

 private:
  std::chrono::seconds old_after_;
  std::map<std::pair<Direction, std::uint16_t>, CloseWaitAge> by_port_;
};

}  // namespace tcpstated
