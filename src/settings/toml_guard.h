#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace tcpstated {

// Where a config text has a non-ASCII byte outside a comment, or a
// control character anywhere (1-based line and column of the byte), if it
// does. toml++ 3.3 must not see them: its whitespace test reaches
// __builtin_unreachable() for most non-ASCII characters (undefined
// behaviour; UBSan and the config fuzzer found it), and it runs that test
// wherever a value or key could end, even on the characters of a string it
// looks ahead through. Comments it skips without the test. TOML allows no
// control character (tab and line ends aside) anywhere.
struct TextPosition {
  std::size_t line = 1, column = 1;
};
std::optional<TextPosition> RefusedCharacter(std::string_view text);

}  // namespace tcpstated
