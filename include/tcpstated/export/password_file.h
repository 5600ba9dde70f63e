#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tcpstated {

// Users allowed to scrape, from a file of "user:hash" lines (blank lines
// and lines starting with # are skipped). Hashes are crypt(3) strings;
// bcrypt ($2b$, as `htpasswd -B` writes) is the one to use. Passwords are
// checked with libcrypt and the result compared in constant time.
class PasswordFile {
 public:
  // Throws std::runtime_error naming the file and line of a bad entry.
  static PasswordFile Load(const std::string& path);

  bool Check(const std::string& user, const std::string& password) const;
  std::size_t size() const { return users_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> users_;
};

}  // namespace tcpstated
