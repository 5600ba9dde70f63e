#include "basic_auth.h"

#include <crypt.h>
#include <gnutls/crypto.h>

#include <algorithm>
#include <regex>

#include "tcpstated/web/web_config.h"

namespace tcpstated {
namespace {

bool ConstantTimeEqual(const std::string& a, const char* b) {
  const std::string other(b);
  if (a.size() != other.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ other[i]);
  }
  return difference == 0;
}

bool Bcrypt(const std::string& password, const std::string& setting,
            const std::string& expected) {
  auto data = std::make_unique<crypt_data>();
  const char* computed = crypt_r(password.c_str(), setting.c_str(), data.get());
  return computed != nullptr && computed[0] != '*' &&
         ConstantTimeEqual(expected, computed);
}

// The cost of a bcrypt hash, or 0 when it is not one.
int BcryptCost(const std::string& hash) {
  static const std::regex kBcrypt(R"(\$2[abxy]\$(\d\d)\$[./A-Za-z0-9]{53})");
  std::smatch match;
  if (!std::regex_match(hash, match, kBcrypt) ||
      crypt_checksalt(hash.c_str()) != CRYPT_SALT_OK) {
    return 0;
  }
  return std::stoi(match[1]);
}

}  // namespace

std::shared_ptr<const BasicAuth> BasicAuth::Load(
    const std::vector<std::pair<std::string, std::string>>& users) {
  auto auth = std::shared_ptr<BasicAuth>(new BasicAuth());
  int lowest_cost = kMaxCost;
  for (const auto& [name, hash] : users) {
    const std::string where = "basic_auth_users.\"" + name + "\": ";
    if (name.empty()) {
      throw WebConfigError("basic_auth_users: a user name is empty");
    }
    if (name.find(':') != std::string::npos) {
      throw WebConfigError(where +
                           "a user name cannot hold ':' (basic auth splits "
                           "the user from the password there)");
    }
    const int cost = BcryptCost(hash);
    if (cost < 4 || cost > 31) {
      throw WebConfigError(where +
                           "not a bcrypt hash (htpasswd -nBC 10 \"\" prints "
                           "one)");
    }
    if (cost > kMaxCost) {
      throw WebConfigError(
          where + "bcrypt cost " + std::to_string(cost) +
          " is above the highest accepted, " + std::to_string(kMaxCost) +
          ": every check of it would take seconds of a core (htpasswd "
          "-nBC 10 \"\" prints a hash of cost 10)");
    }
    lowest_cost = std::min(lowest_cost, cost);
    auth->users_.push_back({name, hash});
  }
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(lowest_cost), nullptr,
                       0, setting, sizeof setting) == nullptr) {
    throw WebConfigError("basic_auth_users: cannot make a bcrypt salt");
  }
  auth->dummy_ = setting;
  return auth;
}

const BasicAuth::User* BasicAuth::Find(const std::string& name) const {
  const auto it = std::find_if(users_.begin(), users_.end(),
                               [&](const User& u) { return u.name == name; });
  return it == users_.end() ? nullptr : &*it;
}

std::string BasicAuth::CacheKey(const BasicCredentials& credentials) const {
  const User* user = Find(credentials.user);
  const std::string stored = user != nullptr ? user->hash : dummy_;
  unsigned char digest[32];
  gnutls_hash_fast(GNUTLS_DIG_SHA256, credentials.password.data(),
                   credentials.password.size(), digest);
  return credentials.user + '\0' + stored + '\0' +
         std::string(reinterpret_cast<char*>(digest), sizeof digest);
}

bool BasicAuth::Verify(const BasicCredentials& credentials) const {
  const User* user = Find(credentials.user);
  if (credentials.password.find('\0') != std::string::npos) return false;
  if (user == nullptr) {
    Bcrypt(credentials.password, dummy_, dummy_);  // the same time, no match
    return false;
  }
  return Bcrypt(credentials.password, user->hash, user->hash);
}

}  // namespace tcpstated
