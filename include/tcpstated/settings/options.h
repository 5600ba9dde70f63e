#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tcpstated/settings/config.h"

namespace tcpstated {

// What type a setting's value is, in the file (TOML types) and on the
// command line (text).
enum class ValueKind {
  kString,    // TOML string
  kChoice,    // TOML string, one of `choices`
  kDuration,  // TOML string in the duration grammar ("15s", "1m30s")
  kCount,     // TOML integer from `min` to `max`
  kFraction,  // TOML float or integer from 0 to 1
  kNumber,    // TOML float or integer, at least `min`
  kBool,      // TOML boolean
  kList,      // TOML array of strings; a flag repeated or comma-separated
};

// A value of its kind, as the file or the command line gave it.
using Value = std::variant<std::string, std::uint64_t, double, bool,
                           std::vector<std::string>>;

// Which commands read a setting. The file may hold every setting of `run`;
// `report` ignores those it does not use. kReport: a flag of `report`
// only, never a key of the file.
enum class Scope { kBoth, kRun, kReport };

// One setting: its key, its type, its range, how it is applied to a
// Config and how it reads back (for --help, and to hold the shipped file
// to the defaults).
struct OptionSpec {
  std::string key;  // "collect.interval"; the flag is "--" + key
  ValueKind kind;
  Scope scope;
  std::string help;
  std::uint64_t min = 0;  // kCount; kDuration (milliseconds); kNumber
  std::uint64_t max = 0;  // kCount
  std::vector<std::string> choices;  // kChoice
  // Applies a value already checked against kind and range; throws
  // ConfigProblem (without the key, which the caller adds) for what only
  // the setting can check (a port range, a CIDR, a listen address).
  std::function<void(Config&, const Value&)> set;
  std::function<std::string(const Config&)> show;
};

// Every setting, in the order --help and the shipped file list them.
const std::vector<OptionSpec>& AllOptions();
const OptionSpec* FindOption(std::string_view key);

// Keys of earlier releases that no longer exist, and what replaced them;
// nullopt for a key that never did.
std::optional<std::string> RemovedKey(std::string_view key);

// Parses a flag's text into a value of `spec`'s kind, as the config file
// would have it (a count is a TOML integer, a string is taken as it is, a
// list is comma-separated); throws ConfigProblem saying what was expected
// ("expected a whole number from 1 to 65536, got \"x\"").
Value ValueFromText(const OptionSpec& spec, const std::string& text);
// Checks the range of a value of the right type; throws ConfigProblem.
void CheckRange(const OptionSpec& spec, const Value& value);
// What a setting of this kind expects, for messages: "a whole number from
// 1 to 65536", "a duration of at least 1s such as 10s or 1m30s".
std::string Expected(const OptionSpec& spec);

// Every key of the config file as key = value text, in AllOptions' order.
std::vector<std::pair<std::string, std::string>> DescribeConfig(
    const Config& config);

}  // namespace tcpstated
