#include "basic_auth.h"

#include <crypt.h>
#include <gnutls/crypto.h>

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

}  // namespace

std::shared_ptr<const BasicAuth> BasicAuth::Load(
    const std::vector<std::pair<std::string, std::string>>& users) {
  static const std::regex kBcrypt(R"(\$2[abxy]\$(\d\d)\$[./A-Za-z0-9]{53})");
  auto auth = std::shared_ptr<BasicAuth>(new BasicAuth());
  int highest_cost = 4;
  for (const auto& [name, hash] : users) {
    std::smatch match;
    const int cost =
        std::regex_match(hash, match, kBcrypt) ? std::stoi(match[1]) : 0;
    if (cost < 4 || cost > 31 ||
        crypt_checksalt(hash.c_str()) != CRYPT_SALT_OK) {
      throw WebConfigError("basic_auth_users." + name +
                           ": not a bcrypt hash with a cost of 4 to 31 "
                           "(htpasswd -nBC 10 \"\" prints one)");
    }
    highest_cost = std::max(highest_cost, cost);
    auth->users_.push_back({name, hash});
  }
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(highest_cost),
                       nullptr, 0, setting, sizeof setting) == nullptr) {
    throw WebConfigError("basic_auth_users: cannot make a bcrypt salt");
  }
  auth->dummy_ = setting;
  return auth;
}

std::string BasicAuth::CacheKey(const BasicCredentials& credentials) const {
  unsigned char digest[32];
  gnutls_hash_fast(GNUTLS_DIG_SHA256, credentials.password.data(),
                   credentials.password.size(), digest);
  return credentials.user + '\0' +
         std::string(reinterpret_cast<char*>(digest), sizeof digest);
}

bool BasicAuth::Cached(const BasicCredentials& credentials) const {
  const std::string key = CacheKey(credentials);
  std::lock_guard lock(mutex_);
  return verified_.contains(key);
}

bool BasicAuth::Verify(const BasicCredentials& credentials) const {
  const User* user = nullptr;
  for (const User& u : users_) {
    if (u.name == credentials.user) user = &u;
  }
  if (credentials.password.find('\0') != std::string::npos) return false;
  const bool ok = user != nullptr
                      ? Bcrypt(credentials.password, user->hash, user->hash)
                      : (Bcrypt(credentials.password, dummy_, dummy_), false);
  if (ok) {
    const std::string key = CacheKey(credentials);
    std::lock_guard lock(mutex_);
    if (verified_.size() >= kMaxCached) verified_.clear();
    verified_.insert(key);
  }
  return ok;
}

}  // namespace tcpstated
