#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpstated {

// Strict parsers for option values, from the command line or the config
// file alike: a value either means exactly what it says or is refused.

// "250ms", "15s", "2m", "1h", "1.5s": a decimal number (no sign, exponent,
// NaN or infinity) and a unit; at most a year.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// A whole number in decimal: digits only, no sign, no leading zero (so
// "0200" is not silently octal), no overflow.
std::optional<std::uint64_t> ParseWholeNumber(std::string_view text);

// A fraction from 0 to 1 in decimal ("0.5", "1", ".25"); no NaN.
std::optional<double> ParseFraction(std::string_view text);

}  // namespace tcpstated
