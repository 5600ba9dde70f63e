#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "request_headers.h"

namespace tcpstated {

// basic_auth_users of a web config: user names and bcrypt hashes, checked
// when loaded. Immutable; a reload builds a new one.
class BasicAuth {
 public:
  // The highest bcrypt cost accepted. One check at cost 12 takes about
  // 0.2 s of a core (0.35 s on a busy host), and each step doubles it: at
  // 14 a few wrong passwords in the queue would hold a scrape past
  // Prometheus's 10 s timeout; at 31 one request would take a day.
  static constexpr int kMaxCost = 12;

  // Throws WebConfigError naming the user for: an empty name, a name with
  // ':' (basic auth splits there: it could never log in), a hash that is
  // not bcrypt ($2a$, $2b$, $2x$, $2y$) or a cost outside 4 to kMaxCost.
  static std::shared_ptr<const BasicAuth> Load(
      const std::vector<std::pair<std::string, std::string>>& users);

  bool empty() const { return users_.empty(); }

  // What a successful check of these credentials is remembered by: the
  // user, the stored hash and a digest of the password. A reload that
  // keeps a user's hash keeps its remembered passwords; a new hash
  // forgets them.
  std::string CacheKey(const BasicCredentials& credentials) const;

  // The slow path (bcrypt). An unknown user is checked against a dummy
  // hash of the lowest cost in use: it never costs more than a known one.
  // A password with a NUL byte never matches (crypt(3) would stop at it).
  // Thread-safe.
  bool Verify(const BasicCredentials& credentials) const;

 private:
  struct User {
    std::string name;
    std::string hash;
  };
  const User* Find(const std::string& name) const;

  std::vector<User> users_;
  std::string dummy_;  // a bcrypt setting of the lowest cost in use
};

}  // namespace tcpstated
