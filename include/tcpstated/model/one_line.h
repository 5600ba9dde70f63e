#pragma once

#include <string>

namespace tcpstated {

// A message that quotes what a file or flag said (a YAML key or a TOML
// string may hold a newline or a NUL) made one printable line: a newline
// becomes \n, other control bytes \xNN. The error policy: one line.
inline std::string OneLine(const std::string& message) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace tcpstated
