#pragma once

#include <string>

#include "tcpstated/settings/config.h"

namespace tcpstated {

// Reads a config file: a regular file (a FIFO or a device is refused
// without blocking) of at most kMaxConfigBytes; /dev/null reads as an empty
// file. Throws ConfigProblem.
std::string ReadConfigFile(const std::string& path);

// Applies the settings of a config file, a TOML document, to `config`:
// keys as dotted names (`web.timeout = "10s"`) or in tables (`[web]`
// then `timeout = "10s"`), each of the type its setting takes (a count is
// an integer, a duration a string). Unknown keys, keys of `report` or
// `run` alike, values of the wrong type or out of range are errors with
// the file, line and column. `file` names the source in messages. Throws
// ConfigProblem.
void ApplyConfigText(const std::string& text, const std::string& file,
                     Config& config);

}  // namespace tcpstated
