#include "request_headers.h"

#include <array>
#include <cstdint>

#include "http_text.h"

namespace tcpstated {
namespace {

constexpr std::size_t kMaxAuthorization = 4096;

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with padding, strictly.
std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::array<int, 4> v{};
    int padding = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        ++padding;
        v[j] = 0;
        continue;
      }
      if (padding > 0) return std::nullopt;  // data after padding
      v[j] = Base64Value(c);
      if (v[j] < 0) return std::nullopt;
    }
    const std::uint32_t n = std::uint32_t(v[0]) << 18 |
                            std::uint32_t(v[1]) << 12 |
                            std::uint32_t(v[2]) << 6 | std::uint32_t(v[3]);
    out += static_cast<char>(n >> 16);
    if (padding < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (padding < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

// The q-value of one Accept-Encoding element's parameters (";q=0.5").
double QualityOf(std::string_view parameters) {
  while (!parameters.empty()) {
    const auto semicolon = parameters.find(';');
    const std::string_view parameter =
        TrimHttpSpace(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos
                     ? ""
                     : parameters.substr(semicolon + 1);
    if (parameter.size() < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') ||
        parameter[1] != '=') {
      continue;
    }
    const std::string_view value = TrimHttpSpace(parameter.substr(2));
    // q = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ): zero or not.
    for (char c : value) {
      if (c >= '1' && c <= '9') return 1;
    }
    return 0;
  }
  return 1;
}

}  // namespace

std::optional<BasicCredentials> ParseBasicAuthorization(
    std::string_view header) {
  if (header.size() > kMaxAuthorization) return std::nullopt;
  header = TrimHttpSpace(header);
  const auto space = header.find(' ');
  if (space == std::string_view::npos ||
      !EqualsIgnoringCase(header.substr(0, space), "basic")) {
    return std::nullopt;
  }
  const auto decoded = DecodeBase64(TrimHttpSpace(header.substr(space + 1)));
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{decoded->substr(0, colon),
                          decoded->substr(colon + 1)};
}

bool AcceptsGzip(std::string_view accept_encoding) {
  bool gzip = false, refused = false, star = false;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const std::string_view element = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos
                          ? ""
                          : accept_encoding.substr(comma + 1);
    const auto semicolon = element.find(';');
    const std::string_view coding = TrimHttpSpace(element.substr(0, semicolon));
    const double q = semicolon == std::string_view::npos
                         ? 1
                         : QualityOf(element.substr(semicolon + 1));
    if (EqualsIgnoringCase(coding, "gzip") ||
        EqualsIgnoringCase(coding, "x-gzip")) {
      (q > 0 ? gzip : refused) = true;
    } else if (coding == "*" && q > 0) {
      star = true;
    }
  }
  return gzip || (star && !refused);
}

}  // namespace tcpstated
