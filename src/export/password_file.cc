#include "tcpstated/export/password_file.h"

#include <crypt.h>

#include <memory>
#include <sstream>
#include <stdexcept>

#include "tcpstated/io/files.h"

namespace tcpstated {
namespace {

bool ConstantTimeEqual(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

}  // namespace

PasswordFile PasswordFile::Load(const std::string& path) {
  std::istringstream file;
  try {
    file.str(ReadRegularFile(path, 1 << 20));
  } catch (const FileProblem& problem) {
    throw std::runtime_error(std::string("auth file ") + problem.what());
  }
  PasswordFile result;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    if (line.empty() || line.front() == '#') continue;
    const auto colon = line.find(':');
    const std::string hash =
        colon == std::string::npos ? "" : line.substr(colon + 1);
    if (colon == 0 || hash.size() < 2 || hash.front() != '$' ||
        crypt_checksalt(hash.c_str()) != CRYPT_SALT_OK) {
      throw std::runtime_error("auth file " + path + " line " +
                               std::to_string(number) +
                               ": expected user:hash with a bcrypt ($2b$) "
                               "or other crypt(3) hash");
    }
    result.users_.emplace_back(line.substr(0, colon), hash);
  }
  if (result.users_.empty()) {
    throw std::runtime_error("auth file " + path + " has no users");
  }
  return result;
}

bool PasswordFile::Check(const std::string& user,
                         const std::string& password) const {
  for (const auto& [name, hash] : users_) {
    if (name != user) continue;
    auto data = std::make_unique<crypt_data>();
    const char* computed = crypt_r(password.c_str(), hash.c_str(), data.get());
    return computed != nullptr && ConstantTimeEqual(computed, hash);
  }
  return false;
}

}  // namespace tcpstated
