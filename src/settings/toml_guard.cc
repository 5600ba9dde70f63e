#include "toml_guard.h"

namespace tcpstated {
namespace {

enum class Context {
  kCode,
  kComment,
  kBasic,
  kLiteral,
  kBasicLong,
  kLiteralLong
};

bool StartsWith(std::string_view text, std::size_t at, std::string_view what) {
  return text.substr(at, what.size()) == what;
}

}  // namespace

std::optional<TextPosition> RefusedCharacter(std::string_view text) {
  Context context = Context::kCode;
  TextPosition at;
  // A byte order mark opens a UTF-8 file, and TOML allows it there.
  const std::size_t start = StartsWith(text, 0, "\xEF\xBB\xBF") ? 3 : 0;
  for (std::size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    // Control characters: TOML allows them nowhere (tab and line ends
    // aside), not even in strings and comments.
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f) {
      return at;
    }
    // Non-ASCII only in comments: toml++ looks ahead through a bare value
    // (`0"é"`) testing each character for whitespace.
    if (byte >= 0x80 && context != Context::kComment) return at;
    switch (context) {
      case Context::kCode:
        if (c == '#') {
          context = Context::kComment;
        } else if (StartsWith(text, i, "\"\"\"")) {
          context = Context::kBasicLong;
          i += 2;
          at.column += 2;
        } else if (StartsWith(text, i, "'''")) {
          context = Context::kLiteralLong;
          i += 2;
          at.column += 2;
        } else if (c == '"') {
          context = Context::kBasic;
        } else if (c == '\'') {
          context = Context::kLiteral;
        }
        break;
      case Context::kComment:
        if (c == '\n') context = Context::kCode;
        break;
      case Context::kBasic:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') {
          ++i;  // an escaped character, the quote included
          ++at.column;
        } else if (c == '"' || c == '\n') {  // a newline: TOML's error
          context = Context::kCode;
        }
        break;
      case Context::kLiteral:
        if (c == '\'' || c == '\n') context = Context::kCode;
        break;
      case Context::kBasicLong:
        if (c == '\\' && i + 1 < text.size()) {
          ++i;
          if (text[i] == '\n') {
            ++at.line;
            at.column = 0;
          } else {
            ++at.column;
          }
        } else if (StartsWith(text, i, "\"\"\"")) {
          context = Context::kCode;
          i += 2;
          at.column += 2;
        }
        break;
      case Context::kLiteralLong:
        if (StartsWith(text, i, "'''")) {
          context = Context::kCode;
          i += 2;
          at.column += 2;
        }
        break;
    }
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return std::nullopt;
}

}  // namespace tcpstated
