#pragma once

#include <charconv>
#include <optional>
#include <string_view>

#include "tcpstated/io/unique_fd.h"

namespace tcpstated {

// `text` as a whole unsigned decimal number of type T: nothing before or
// after the digits, no sign, no overflow. For what /proc and the kernel's
// tables say.
template <typename T>
std::optional<T> ParseDecimal(std::string_view text) {
  T value{};
  if (text.empty() || text.front() == '-') return std::nullopt;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The pid a /proc entry names ("4242"); nullopt for "self", "net", ...
inline std::optional<int> PidOfProcEntry(std::string_view name) {
  const auto pid = ParseDecimal<int>(name);
  if (!pid || *pid <= 0) return std::nullopt;
  return pid;
}

}  // namespace tcpstated
