#include "tcpstated/model/duration.h"

#include <charconv>
#include <cmath>
#include <utility>

namespace tcpstated {

std::optional<std::chrono::nanoseconds> ParseDuration(std::string_view text) {
  if (text == "0") return std::chrono::nanoseconds(0);
  if (text.empty()) return std::nullopt;
  double total = 0;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (
        digits < text.size() &&
        ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.')) {
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    double value = 0;
    const auto [end, error] =
        std::from_chars(text.data(), text.data() + digits, value);
    if (error != std::errc() || end != text.data() + digits)
      return std::nullopt;
    text.remove_prefix(digits);
    static constexpr std::pair<std::string_view, double> kUnits[] = {
        {"ns", 1},  {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"ms", 1e6},
        {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
    double scale = 0;
    for (const auto& [unit, ns] : kUnits) {
      // "ms" is tried before "m" (and "s"): the order of the list.
      if (text.starts_with(unit)) {
        scale = ns;
        text.remove_prefix(unit.size());
        break;
      }
    }
    if (scale == 0) return std::nullopt;
    total += value * scale;
  }
  // At most a year; checked before the conversion, which overflows above.
  if (!std::isfinite(total) || total > 3.2e16) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<long long>(total));
}

std::string FormatDuration(std::chrono::nanoseconds duration) {
  const long long ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  if (ms <= 0) return "0s";
  if (ms % 1000 != 0 && ms < 60'000) {
    return ms < 1000 ? std::to_string(ms) + "ms"
                     : std::to_string(ms / 1000) + "." +
                           std::to_string(1000 + ms % 1000).substr(1) + "s";
  }
  const long long s = ms / 1000;
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h";
  if (s % 3600 >= 60) out += std::to_string(s % 3600 / 60) + "m";
  if (s % 60 != 0 || out.empty()) out += std::to_string(s % 60) + "s";
  return out;
}

}  // namespace tcpstated
