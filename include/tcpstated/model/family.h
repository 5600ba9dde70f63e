#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tcpstated {

enum class Family : std::uint8_t { kIpv4, kIpv6 };
inline constexpr std::size_t kFamilyCount = 2;
inline constexpr Family kAllFamilies[] = {Family::kIpv4, Family::kIpv6};

// "ipv4" or "ipv6": the family label and JSON key.
inline std::string_view FamilyName(Family family) {
  return family == Family::kIpv4 ? "ipv4" : "ipv6";
}

}  // namespace tcpstated
