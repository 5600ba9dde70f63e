#include "failure_backoff.h"

#include <algorithm>

namespace tcpstated {

FailureBackoff::Verdict FailureBackoff::Take(const std::string& client,
                                             Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    MakeRoom();
    it = buckets_.emplace(client, Bucket{double(limits_.burst), now}).first;
  }
  Bucket& bucket = it->second;
  const double refilled = std::chrono::duration<double>(now - bucket.last) /
                          std::chrono::duration<double>(limits_.refill);
  bucket.tokens = std::min<double>(limits_.burst, bucket.tokens + refilled);
  bucket.last = now;
  if (bucket.tokens < 1) return Verdict::kRefused;
  const bool full = bucket.tokens >= limits_.burst;
  bucket.tokens -= 1;
  return full ? Verdict::kTrusted : Verdict::kAllowed;
}

void FailureBackoff::GiveBack(const std::string& client) {
  std::lock_guard lock(mutex_);
  const auto it = buckets_.find(client);
  if (it == buckets_.end()) return;
  it->second.tokens = std::min<double>(limits_.burst, it->second.tokens + 1);
}

void FailureBackoff::MakeRoom() {
  if (buckets_.size() < limits_.max_clients) return;
  const auto oldest = std::min_element(buckets_.begin(), buckets_.end(),
                                       [](const auto& a, const auto& b) {
                                         return a.second.last < b.second.last;
                                       });
  buckets_.erase(oldest);
}

}  // namespace tcpstated
