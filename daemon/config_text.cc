#include "config_text.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <map>
#include <string_view>

#include "tcpstated/io/files.h"

namespace tcpstated {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool IsKey(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (!IsKeyChar(c)) return false;
  }
  return true;
}

// The value with a trailing comment removed (not inside quotes).
std::string_view ValueOf(std::string_view value) {
  bool quoted = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '"') quoted = !quoted;
    if (value[i] == '#' && !quoted) return Trim(value.substr(0, i));
  }
  return value;
}

}  // namespace

std::string ReadConfigFile(const std::string& path) {
  if (path.empty()) throw ConfigProblem("config file: the path is empty");
  // `--config.file /dev/null`, the usual way to say "no file", reads empty;
  // other devices are refused (/dev/zero would be read for ever).
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode) &&
      st.st_rdev == makedev(1, 3)) {
    return "";
  }
  try {
    return ReadRegularFile(path, kMaxConfigBytes);
  } catch (const FileProblem& problem) {
    throw ConfigProblem(std::string("config file ") + problem.what());
  }
}

std::string CheckConfigText(std::string text, const std::string& file) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (std::string_view(text).starts_with(kBom)) text.erase(0, kBom.size());
  const std::string where = "config file " + file + " line ";
  if (const auto nul = text.find('\0'); nul != std::string::npos) {
    throw ConfigProblem("config file " + file +
                        ": contains a NUL byte; it is not a text file");
  }
  std::map<std::string, int, std::less<>> seen;
  bool in_array = false;
  int number = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = Trim(rest.substr(0, end));
    rest = end == std::string_view::npos ? "" : rest.substr(end + 1);
    ++number;
    if (in_array) {
      in_array = ValueOf(line).find(']') == std::string_view::npos;
      continue;
    }
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const std::string at = where + std::to_string(number) + ": ";
    if (line.front() == '[') {
      throw ConfigProblem(at + "sections are not used; write key = value");
    }
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      throw ConfigProblem(at + "expected key = value, got \"" +
                          std::string(line) + "\"");
    }
    const std::string_view key = Trim(line.substr(0, equals));
    const std::string_view value = ValueOf(Trim(line.substr(equals + 1)));
    if (!IsKey(key) || value.empty()) {
      throw ConfigProblem(at + "expected key = value, got \"" +
                          std::string(line) + "\"");
    }
    if (key == "config.file" || key == "help" || key == "version") {
      throw ConfigProblem(at + "\"" + std::string(key) +
                          "\" can only be given on the command line");
    }
    if (const auto [it, added] = seen.emplace(std::string(key), number);
        !added) {
      throw ConfigProblem(at + "\"" + std::string(key) +
                          "\" is already set on line " +
                          std::to_string(it->second));
    }
    in_array =
        value.front() == '[' && value.find(']') == std::string_view::npos;
  }
  return text;
}

}  // namespace tcpstated
