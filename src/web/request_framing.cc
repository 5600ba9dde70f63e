#include "request_framing.h"

#include "http_text.h"

namespace tcpstated {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

unsigned FramingProblem(std::string_view version, const HeaderList& headers) {
  int hosts = 0;
  bool transfer_encoding = false, other_coding = false;
  std::string_view content_length;
  bool content_length_seen = false, lengths_differ = false;
  for (const auto& [name, raw] : headers) {
    const std::string_view value = TrimHttpSpace(raw);
    if (EqualsIgnoringCase(name, "Host")) {
      ++hosts;
    } else if (EqualsIgnoringCase(name, "Transfer-Encoding")) {
      // Only "chunked" is read; a second Transfer-Encoding header would
      // add a coding.
      other_coding |=
          transfer_encoding || !EqualsIgnoringCase(value, "chunked");
      transfer_encoding = true;
    } else if (EqualsIgnoringCase(name, "Content-Length")) {
      lengths_differ |= content_length_seen && value != content_length;
      content_length = value;
      content_length_seen = true;
    }
  }
  if ((transfer_encoding && content_length_seen) || lengths_differ ||
      hosts > 1 || (hosts == 0 && version == "HTTP/1.1")) {
    return 400;
  }
  if (other_coding) return 501;
  return 0;
}

std::size_t DecodePercentKeepingNul(char* text) {
  char* out = text;
  for (const char* in = text; *in != '\0';) {
    if (in[0] == '%' && in[1] != '\0' && in[2] != '\0') {
      const int high = HexValue(in[1]), low = HexValue(in[2]);
      if (high >= 0 && low >= 0 && (high | low) != 0) {
        *out++ = static_cast<char>(high * 16 + low);
        in += 3;
        continue;
      }
    }
    *out++ = *in++;
  }
  *out = '\0';
  return static_cast<std::size_t>(out - text);
}

}  // namespace tcpstated
