#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_set>

namespace tcpstated {

// Credentials a bcrypt check accepted (BasicAuth::CacheKey), so that every
// scrape after the first is a hash lookup. Kept by the front across
// reloads: the key holds the user's stored hash, so a changed hash is a
// miss. Bounded: when full it starts again empty (a few scrapers' keys, not
// a working set to be clever about).
class VerifiedCache {
 public:
  static constexpr std::size_t kMaxEntries = 256;

  bool Contains(const std::string& key) const {
    std::lock_guard lock(mutex_);
    return keys_.contains(key);
  }
  void Insert(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (keys_.size() >= kMaxEntries) keys_.clear();
    keys_.insert(key);
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_set<std::string> keys_;
};

}  // namespace tcpstated
