#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "request_headers.h"

namespace tcpstated {

// basic_auth_users of a web config: user names and bcrypt hashes. One
// object per loaded config: a reload builds a new one, so the cache of
// verified passwords goes with the old users.
class BasicAuth {
 public:
  // Throws WebConfigError for a hash that is not bcrypt ($2a$, $2b$, $2x$,
  // $2y$ with a cost of 4 to 31): one that would lock everyone out.
  static std::shared_ptr<const BasicAuth> Load(
      const std::vector<std::pair<std::string, std::string>>& users);

  bool empty() const { return users_.empty(); }

  // Whether these credentials were verified before: a hash lookup, for
  // every scrape after the first.
  bool Cached(const BasicCredentials& credentials) const;

  // The slow path (bcrypt). An unknown user costs what a known one does: its
  // password is checked against a dummy hash of the same cost. A password
  // with a NUL byte never matches (crypt(3) would stop at it). Successes
  // are cached. Thread-safe; the caller bounds how many run at once.
  bool Verify(const BasicCredentials& credentials) const;

 private:
  struct User {
    std::string name;
    std::string hash;
  };
  std::string CacheKey(const BasicCredentials& credentials) const;

  std::vector<User> users_;
  std::string dummy_;  // a bcrypt setting of the highest cost in use
  static constexpr std::size_t kMaxCached = 256;
  mutable std::mutex mutex_;
  mutable std::unordered_set<std::string> verified_;
};

}  // namespace tcpstated
