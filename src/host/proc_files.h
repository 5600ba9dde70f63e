#pragma once

#include <charconv>
#include <optional>
#include <string_view>

#include "tcpstated/io/unique_fd.h"

namespace tcpstated {

// The pid a /proc entry names ("4242"); nullopt for "self", "net", ...
inline std::optional<int> PidOfProcEntry(std::string_view name) {
  int pid = 0;
  const auto [end, error] =
      std::from_chars(name.data(), name.data() + name.size(), pid);
  if (error != std::errc() || end != name.data() + name.size() || pid <= 0) {
    return std::nullopt;
  }
  return pid;
}

}  // namespace tcpstated
