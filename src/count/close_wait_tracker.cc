#include "tcpstated/count/close_wait_tracker.h"

#include <algorithm>

#include "close_wait_age_table.h"

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
