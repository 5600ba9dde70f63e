#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config.h"
#include "options.h"

namespace tcpstated {

// A flag of one command only (report's --format, --top, ...): not a
// setting, not in the config file.
struct CommandFlag {
  std::string name;  // "--format"
  std::string help;
  ValueKind kind = ValueKind::kString;  // kString, kChoice, kCount,
                                        // kDuration
  std::vector<std::string> choices;
  std::uint64_t min = 0, max = 0;
  std::string default_text;
  std::function<void(const Value&)> apply;
};

// Thrown for --help; holds the help text.
struct HelpRequested {
  std::string text;
};

// What a command line asked for.
struct CommandLine {
  Config config;
  // Old spellings used, each as one line to print ("--netns is deprecated:
  // use --collect.netns").
  std::vector<std::string> notes;
};

// Parses the arguments of `run` (scope kRun: every setting) or `report`
// (kBoth, plus `flags`) and the config file they name with --config.file
// (or the default one, where it exists): the flags are checked first, the
// file is read and applied, then the flags again over it, so that they
// win. Throws ConfigProblem (one line naming the flag, key or file) or
// HelpRequested.
CommandLine ParseCommandLine(const std::string& command,
                             const std::vector<std::string>& args, Scope scope,
                             const std::vector<CommandFlag>& flags = {});

// Checks what parsing cannot: that the namespace and the replayed dump
// named exist and are what they should be, and for `run` that the listen
// addresses parse and the web config file loads (certificates, key,
// hashes). What check-config, run, report and a reload go through. Throws
// ConfigProblem.
void ValidateConfig(const Config& config, Scope scope);

}  // namespace tcpstated
