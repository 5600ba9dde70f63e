#include "close_wait_age_table.h"

#include <algorithm>

namespace tcpstated {

void CloseWaitAgeTable::Add(PortClass port, double age_seconds) {
  CloseWaitAge& age = by_port_[{port.direction, port.port}];
  age.direction = port.direction;
  age.port = port.port;
  ++age.sockets;
  age.oldest_seconds = std::max(age.oldest_seconds, age_seconds);
  if (age_seconds >= static_cast<double>(old_after_.count())) ++age.old_sockets;
}

std::vector<CloseWaitAge> CloseWaitAgeTable::OldestFirst() const {
  std::vector<CloseWaitAge> ages;
  for (const auto& [key, age] : by_port_) ages.push_back(age);
  std::stable_sort(ages.begin(), ages.end(),
                   [](const CloseWaitAge& a, const CloseWaitAge& b) {
                     return a.oldest_seconds > b.oldest_seconds;
                   });
  return ages;
}

}  // namespace tcpstated
