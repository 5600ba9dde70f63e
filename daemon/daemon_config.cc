#include "daemon_config.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <sstream>

#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/io/files.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/web/web_config.h"

namespace tcpstated {
namespace {

// "INI was not able to parse foo.bar" -> "foo.bar"
std::string UnknownKey(const CLI::ConfigError& error) {
  const std::string text = error.what();
  const auto space = text.rfind(' ');
  return space == std::string::npos ? text : text.substr(space + 1);
}

// Runs `parse` on a fresh app bound to `config`, turning CLI11's exceptions
// into one-line ConfigProblems that begin with `source`.
template <typename Parse>
void ParseInto(DaemonConfig& config, const std::string& source, Parse parse) {
  CLI::App app("tcpstated run", "tcpstated run");
  AddDaemonOptions(app, config);
  try {
    parse(app);
  } catch (const CLI::CallForHelp&) {
    throw HelpRequested{app.help()};
  } catch (const CLI::ConfigError& error) {
    throw ConfigProblem(source + ": unknown key \"" + UnknownKey(error) +
                        "\" (the keys are the flag names of `tcpstated run "
                        "--help` without the dashes)");
  } catch (const CLI::ParseError& error) {
    throw ConfigProblem(source + ": " + error.what());
  }
}

void ParseArgs(DaemonConfig& config, const std::vector<std::string>& args) {
  ParseInto(config, "command line", [&args](CLI::App& app) {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  });
}

void ParseText(DaemonConfig& config, const std::string& text,
               const std::string& file) {
  const std::string checked = CheckConfigText(text, file);
  ParseInto(config, "config file " + file, [&checked](CLI::App& app) {
    std::istringstream stream(checked);
    app.parse_from_stream(stream);
  });
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

DaemonConfig ParseDaemonConfig(const std::vector<std::string>& args) {
  // The flags alone first: they are checked, and they say which file.
  constexpr const char* kNotNamed = "\x01";  // no path looks like this
  DaemonConfig flags;
  flags.config_file = kNotNamed;
  ParseArgs(flags, args);
  const bool named = flags.config_file != kNotNamed;
  const std::string file = named ? flags.config_file : kDefaultConfigFile;

  DaemonConfig config;
  if (named || Exists(file)) {
    ParseText(config, ReadConfigFile(file), file);
    config.config_file = file;
  }
  // The flags again, over the file: they win.
  ParseArgs(config, args);
  config.config_file = named || Exists(file) ? file : "";
  if (config.netns == kAllNamespaces && !config.replay_dump.empty()) {
    throw ConfigProblem(
        "collect.netns = all watches the kernel's namespaces; it cannot be "
        "combined with collect.replay-dump");
  }
  return config;
}

DaemonConfig ParseDaemonConfigText(const std::string& text) {
  DaemonConfig config;
  ParseText(config, text, "(text)");
  return config;
}

void ValidateDaemonConfig(const DaemonConfig& config) {
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
  try {
    CheckHttpFrontOptions(config.web);
  } catch (const WebConfigError& error) {
    throw ConfigProblem(std::string("web.config.file: ") + error.what());
  } catch (const std::invalid_argument& error) {
    throw ConfigProblem(std::string("web.listen-address: ") + error.what());
  }
}

}  // namespace tcpstated
