#pragma once

#include <string>
#include <vector>

#include "tcpstated/settings/config.h"
#include "tcpstated/settings/options.h"

namespace tcpstated {

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

// Parses the arguments of `run` (scope kRun: every key of the file) or
// `report` (kBoth, and report's own flags) and the config file they name
// with --config.file (or the default one, where it exists): the flags are
// checked first, the file is read and applied, then the flags again over
// it, so that they win. Throws ConfigProblem (one line naming the flag,
// key or file) or HelpRequested.
CommandLine ParseCommandLine(const std::string& command,
                             const std::vector<std::string>& args, Scope scope);

// Checks what parsing cannot: that the namespace and the replayed dump
// named exist and are what they should be. What check-config, run, report
// and a reload go through; the daemon checks its HTTP front's options
// itself (the web stage stays out of `report`). Throws ConfigProblem.
void ValidateConfig(const Config& config);

}  // namespace tcpstated
