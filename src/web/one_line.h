#pragma once

#include <string>

namespace tcpstated {

// An error message that quotes what a file said (a YAML key may hold a
// newline or a NUL) made one printable line: control bytes become \xNN.
inline std::string OneLine(const std::string& message) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
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
