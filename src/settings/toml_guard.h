#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace tcpstated {

// Where a config text has a non-ASCII byte outside a string or a comment
// (1-based line and column of the byte), if it does. TOML allows such
// characters nowhere else, and toml++ 3.3 must not see one there: its
// whitespace test reaches __builtin_unreachable() for most of them
// (undefined behaviour; UBSan and the config fuzzer found it).
struct TextPosition {
  std::size_t line = 1, column = 1;
};
std::optional<TextPosition> NonAsciiOutsideStrings(std::string_view text);

}  // namespace tcpstated
