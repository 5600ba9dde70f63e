#include "tcpstated/host/untrusted_name.h"

#include <cstdint>

namespace tcpstated {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026

// Decodes one UTF-8 sequence at the front of `s`: its code point and
// length, or length 0 if it is not well-formed (overlong forms, surrogates
// and values past U+10FFFF included).
std::pair<char32_t, std::size_t> DecodeOne(std::string_view s) {
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint8_t>(s[i]);
  };
  const std::uint8_t b0 = byte(0);
  if (b0 < 0x80) return {b0, 1};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return {0, 0};
  }
  if (s.size() < length) return {0, 0};
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {0, 0};
    cp = cp << 6 | (byte(i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return {0, 0};
  }
  return {cp, length};
}

bool Unwanted(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string SanitizeName(std::string_view raw, std::size_t max_bytes) {
  std::string out;
  // Stop early on a huge input: a bit more than the cap is all we need.
  const std::size_t enough = max_bytes + kEllipsis.size() + 4;
  while (!raw.empty() && out.size() <= enough) {
    const auto [cp, length] = DecodeOne(raw);
    if (length == 0) {
      out += kReplacement;
      raw.remove_prefix(1);  // resynchronise on the next byte
      continue;
    }
    if (Unwanted(cp)) {
      out += kReplacement;
    } else {
      out += raw.substr(0, length);
    }
    raw.remove_prefix(length);
  }
  if (out.size() <= max_bytes && raw.empty()) return out;
  // Cut at a character boundary, leaving room for the ellipsis.
  std::size_t cut =
      max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
  while (cut > 0 && (static_cast<std::uint8_t>(out[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  out.resize(cut);
  if (max_bytes >= kEllipsis.size()) out += kEllipsis;
  return out;
}

}  // namespace tcpstated
