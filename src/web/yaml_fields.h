#pragma once

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <vector>

#include "tcpstated/model/one_line.h"
#include "tcpstated/web/web_config.h"

namespace tcpstated {

// Walks one YAML mapping, handing each key to `field` once; unknown and
// repeated keys are errors naming the path ("tls_server_config.foo").
class Fields {
 public:
  Fields(const std::string& file, std::string path)
      : file_(file), path_(std::move(path)) {}

  [[noreturn]] void Fail(const std::string& key,
                         const std::string& what) const {
    throw WebConfigError(OneLine(file_ + ": " + Name(key) + ": " + what));
  }
  std::string Name(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  template <typename Field>
  void Each(const YAML::Node& node, Field field) const {
    if (!node || node.IsNull()) return;
    if (!node.IsMap()) {
      throw WebConfigError(OneLine(file_ + ": " +
                                   (path_.empty() ? "the file" : path_) +
                                   ": expected a mapping"));
    }
    std::set<std::string> seen;
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      if (!seen.insert(key).second) Fail(key, "given twice");
      if (!field(key, entry.second)) Fail(key, "unknown key");
    }
  }

  std::string String(const std::string& key, const YAML::Node& value) const {
    if (!value.IsScalar()) Fail(key, "expected a string");
    return value.as<std::string>();
  }
  bool Bool(const std::string& key, const YAML::Node& value) const {
    bool result = false;
    if (!value.IsScalar() || !YAML::convert<bool>::decode(value, result)) {
      Fail(key, "expected true or false");
    }
    return result;
  }
  std::vector<std::string> Strings(const std::string& key,
                                   const YAML::Node& value) const {
    std::vector<std::string> out;
    if (value.IsNull()) return out;
    if (!value.IsSequence()) Fail(key, "expected a list of strings");
    for (const auto& item : value) {
      if (!item.IsScalar()) Fail(key, "expected a list of strings");
      out.push_back(item.as<std::string>());
    }
    return out;
  }

 private:
  const std::string& file_;
  std::string path_;
};

}  // namespace tcpstated
