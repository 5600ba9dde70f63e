// The command line, read by CLI11: the only user of it. Every setting is a
// flag (OptionSpec), and the file's values are applied between two passes
// over the flags, so that the flags win.
#include "tcpstated/settings/command_line.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/io/files.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/settings/config_file.h"

namespace tcpstated {
namespace {

// Spellings of 0.1 that still work for a release, with a note.
struct Deprecated {
  const char* old_flag;
  const char* key;
};
constexpr Deprecated kDeprecated[] = {
    {"--netns", "collect.netns"},
    {"--replay-dump", "collect.replay-dump"},
    {"--local-port-range", "collect.local-port-range"},
};

CLI::Option* AddSetting(CLI::App& app, const OptionSpec& spec,
                        const std::string& name, Config& config) {
  if (spec.kind == ValueKind::kList) {
    // Repeated, comma-separated, or both: each adds to the list, as
    // web.allow and web.listen-address always did.
    auto* list = app.add_option_function<std::vector<std::string>>(
        name,
        [&spec, &config, name](const std::vector<std::string>& items) {
          try {
            spec.set(config, Value(items));
          } catch (const ConfigProblem& problem) {
            throw CLI::ValidationError(name, problem.what());
          }
        },
        spec.help);
    list->delimiter(',')->default_str(spec.show(Config{}));
    return list;
  }
  auto* option = app.add_option_function<std::string>(
      name,
      [&spec, &config, name](const std::string& text) {
        try {
          spec.set(config, ValueFromText(spec, text));
        } catch (const ConfigProblem& problem) {
          throw CLI::ValidationError(name, problem.what());
        }
      },
      spec.help);
  option->default_str(spec.show(Config{}));
  // A bare --web.systemd-socket is true.
  if (spec.kind == ValueKind::kBool) option->expected(0, 1)->default_str("");
  return option;
}

// One pass over the arguments into `config`.
void ParseInto(const std::string& command, const std::vector<std::string>& args,
               Scope scope, Config& config, std::string* config_file,
               std::vector<std::string>* notes) {
  CLI::App app("tcpstated " + command, "tcpstated " + command);
  app.add_option("--config.file", *config_file,
                 "Configuration file (a TOML document whose keys are these "
                 "flags' names); default " +
                     std::string(kDefaultConfigFile) +
                     ", where a missing file is not an error");
  for (const OptionSpec& spec : AllOptions()) {
    const bool taken = scope == Scope::kRun ? spec.scope != Scope::kReport
                                            : spec.scope != Scope::kRun;
    if (taken) AddSetting(app, spec, "--" + spec.key, config);
  }
  if (scope == Scope::kBoth) {
    for (const Deprecated& d : kDeprecated) {
      AddSetting(app, *FindOption(d.key), d.old_flag, config)
          ->group("")  // hidden
          ->each([notes, d](const std::string&) {
            if (notes != nullptr) {
              notes->push_back(std::string(d.old_flag) +
                               " is deprecated: use --" + d.key +
                               " (the old spelling goes in 0.3)");
            }
          });
    }
  }
  try {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  } catch (const CLI::CallForHelp&) {
    throw HelpRequested{app.help()};
  } catch (const CLI::ParseError& error) {
    throw ConfigProblem("command line: " + std::string(error.what()));
  }
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

CommandLine ParseCommandLine(const std::string& command,
                             const std::vector<std::string>& args,
                             Scope scope) {
  // The flags alone first: they are checked, and they say which file.
  constexpr const char* kNotNamed = "\x01";  // no path looks like this
  CommandLine out;
  std::string file = kNotNamed;
  Config scratch;
  ParseInto(command, args, scope, scratch, &file, nullptr);
  const bool named = file != kNotNamed;
  if (!named) file = kDefaultConfigFile;
  if (named || Exists(file)) {
    ApplyConfigText(ReadConfigFile(file), file, out.config);
    out.config.config_file = file;
  }
  // The flags again, over the file: they win.
  std::string ignored;
  ParseInto(command, args, scope, out.config, &ignored, &out.notes);
  if (out.config.netns == kAllNamespaces && !out.config.replay_dump.empty()) {
    throw ConfigProblem(
        "collect.netns = all watches the kernel's namespaces; it cannot be "
        "combined with collect.replay-dump");
  }
  return out;
}

void ValidateConfig(const Config& config) {
  if (!config.netns.empty() && config.netns != kAllNamespaces) {
    try {
      CheckNetworkNamespace(config.netns);
    } catch (const CollectError& error) {
      throw ConfigProblem(std::string("collect.netns: ") + error.what());
    }
  }
  if (!config.replay_dump.empty()) {
    try {
      OpenRegularFile(config.replay_dump);
    } catch (const FileProblem& problem) {
      throw ConfigProblem(std::string("collect.replay-dump: ") +
                          problem.what());
    }
  }
}

}  // namespace tcpstated
