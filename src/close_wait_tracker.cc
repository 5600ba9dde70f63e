#include "tcpstated/close_wait_tracker.h"

#include <algorithm>
#include <map>

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

std::vector<CloseWaitAge> CloseWaitTracker::EndCollection() {
  std::map<std::pair<Direction, std::uint16_t>, CloseWaitAge> by_port;
  for (auto it = sockets_.begin(); it != sockets_.end();) {
    const Entry& entry = it->second;
    if (entry.generation != generation_) {  // closed since
      it = sockets_.erase(it);
      continue;
    }
    const double age =
        std::chrono::duration<double>(now_ - entry.first_seen).count();
    CloseWaitAge& port = by_port[{entry.port.direction, entry.port.port}];
    port.direction = entry.port.direction;
    port.port = entry.port.port;
    ++port.sockets;
    port.oldest_seconds = std::max(port.oldest_seconds, age);
    if (age >= static_cast<double>(options_.old_after.count()))
      ++port.old_sockets;
    ++it;
  }
  std::vector<CloseWaitAge> ages;
  for (const auto& [key, age] : by_port) ages.push_back(age);
  std::stable_sort(ages.begin(), ages.end(),
                   [](const CloseWaitAge& a, const CloseWaitAge& b) {
                     return a.oldest_seconds > b.oldest_seconds;
                   });
  return ages;
}

}  // namespace tcpstated
