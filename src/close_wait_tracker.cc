#include "tcpstated/close_wait_tracker.h"

#include <algorithm>

namespace tcpstated {

void CloseWaitTracker::BeginCollection(
    std::chrono::steady_clock::time_point now) {
  now_ = now;
  ++generation_;
  untracked_ = 0;
}

void CloseWaitTracker::OnCloseWait(std::uint64_t cookie,
                                   PortClass port) noexcept {
  const auto it = sockets_.find(cookie);
  if (it != sockets_.end()) {
    it->second.generation = generation_;
    it->second.port = port;  // a repeated dump may classify it better
    return;
  }
  if (sockets_.size() >= options_.max_tracked) {
    ++untracked_;
    return;
  }
  try {
    sockets_.emplace(cookie, Entry{now_, port, generation_});
  } catch (const std::bad_alloc&) {
    ++untracked_;
  }
}

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

std::vector<CloseWaitAge> CloseWaitTracker::EndCollection() {
  CloseWaitAgeTable table(options_.old_after);
  for (auto it = sockets_.begin(); it != sockets_.end();) {
    const Entry& entry = it->second;
    if (entry.generation != generation_) {  // closed since
      it = sockets_.erase(it);
      continue;
    }
    table.Add(entry.port,
              std::chrono::duration<double>(now_ - entry.first_seen).count());
    ++it;
  }
  return table.OldestFirst();
}

}  // namespace tcpstated
