#include "option_values.h"

#include <charconv>
#include <cmath>

namespace tcpstated {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The length of a plain decimal at the front of `text` ("12", "1.5", ".5"),
// 0 if there is none. Signs, exponents and words (nan, inf) are not plain.
std::size_t PlainDecimalLength(std::string_view text) {
  std::size_t i = 0;
  std::size_t digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  }
  return digits == 0 ? 0 : i;
}

std::optional<double> ParsePlainDecimal(std::string_view text) {
  if (text.empty() || PlainDecimalLength(text) != text.size()) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const std::size_t length = PlainDecimalLength(text);
  if (length == 0) return std::nullopt;
  const auto value = ParsePlainDecimal(text.substr(0, length));
  if (!value) return std::nullopt;
  const std::string_view unit = text.substr(length);
  double ms_per_unit = 0;
  if (unit == "ms") {
    ms_per_unit = 1;
  } else if (unit == "s") {
    ms_per_unit = 1000;
  } else if (unit == "m") {
    ms_per_unit = 60000;
  } else if (unit == "h") {
    ms_per_unit = 3600000;
  } else {
    return std::nullopt;
  }
  // Checked in floating point before the conversion: a cast of an
  // out-of-range double to an integer is undefined.
  const double ms = *value * ms_per_unit;
  if (!(ms >= 0 && ms <= 86400000.0 * 365)) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

std::optional<std::uint64_t> ParseWholeNumber(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text.front() == '0')) {
    return std::nullopt;
  }
  for (char c : text) {
    if (!IsDigit(c)) return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> ParseFraction(std::string_view text) {
  const auto value = ParsePlainDecimal(text);
  if (!value || *value > 1) return std::nullopt;
  return value;
}

}  // namespace tcpstated
