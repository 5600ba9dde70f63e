#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace tcpstated {

// Where a config text has a non-ASCII byte outside a string or a comment,
// or a control character anywhere (1-based line and column of the byte),
// if it does. TOML allows neither, and toml++ 3.3 must not see them: its
// whitespace test reaches __builtin_unreachable() for most non-ASCII
// characters (undefined behaviour; UBSan and the config fuzzer found it),
// and it then only ever reads text whose strings and comments this scan
// delimits as it does.
struct TextPosition {
  std::size_t line = 1, column = 1;
};
std::optional<TextPosition> NonAsciiOutsideStrings(std::string_view text);

}  // namespace tcpstated
