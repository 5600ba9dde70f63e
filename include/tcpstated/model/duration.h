#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tcpstated {

// The one duration grammar of tcpstated, everywhere a duration is written
// (flags, the config file, the web config file): Go's time.ParseDuration,
// which Prometheus and exporter-toolkit users already write. A sequence of
// decimal numbers, each with a unit: "15s", "1m30s", "250ms", "1.5h", and
// "0" alone; units ns, us (or µs), ms, s, m, h. No sign; at most a year.
std::optional<std::chrono::nanoseconds> ParseDuration(std::string_view text);

// The shortest text ParseDuration reads back as `duration` (rounded to the
// millisecond): "15s", "1m30s", "250ms", "0s".
std::string FormatDuration(std::chrono::nanoseconds duration);

}  // namespace tcpstated
