#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace tcpstated {

// A duration as Go's time.ParseDuration writes it ("1s", "1m30s", "250ms",
// "1.5h", "0"); units ns, us, µs, ms, s, m, h. No sign accepted.
std::optional<std::chrono::nanoseconds> ParseGoDuration(std::string_view text);

}  // namespace tcpstated
