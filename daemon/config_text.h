#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace tcpstated {

// A configuration that cannot be used: one line naming the key or file and
// what was expected. `check-config` and `run` exit 2 with it.
struct ConfigProblem : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Config files are small; anything larger is not one.
inline constexpr std::size_t kMaxConfigBytes = 1 << 20;

// Reads a config file: a regular file (a FIFO or a device is refused
// without blocking) of at most kMaxConfigBytes; /dev/null reads as an empty
// file. Throws ConfigProblem.
std::string ReadConfigFile(const std::string& path);

// Checks the shape of config text before the option parser sees it, which
// would otherwise accept some mistakes silently: every line is blank, a
// comment, or `key = value` (arrays may span lines); no sections, no bare
// words (CLI11 would read `help` as `help = true`), no key twice, no key
// that only the command line may set (config.file, help), no NUL byte. A
// leading UTF-8 byte order mark is dropped. Returns the text to parse.
// `file` names the source in messages. Throws ConfigProblem.
std::string CheckConfigText(std::string text, const std::string& file);

}  // namespace tcpstated
