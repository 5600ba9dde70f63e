#include "daemon_config.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <fstream>
#include <memory>
#include <sstream>

#include "count_options.h"
#include "tcpstated/export/metrics_exporter.h"
#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/host/sysctls.h"

namespace tcpstated {
namespace {

// A duration option, written like Prometheus does ("15s", "250ms").
template <typename Duration>
CLI::Option* AddDuration(CLI::App& app, const std::string& name,
                         Duration& target, const std::string& help) {
  auto* option = app.add_option_function<std::string>(
      name,
      [&target, name](const std::string& text) {
        const auto parsed = ParseDuration(text);
        if (!parsed || parsed->count() < 100) {
          throw CLI::ValidationError(
              name,
              "expected a duration of at least 100ms such as 250ms, "
              "15s, 2m or 1h, got \"" +
                  text + "\"");
        }
        target = std::chrono::duration_cast<Duration>(*parsed);
      },
      help);
  option->default_str(
      std::to_string(
          std::chrono::duration_cast<std::chrono::seconds>(target).count()) +
      "s");
  return option;
}

const CLI::Validator kPortRange(
    [](std::string& text) -> std::string {
      return text.empty() || ParsePortRange(text)
                 ? ""
                 : "expected \"LOW HIGH\" with LOW <= HIGH "
                   "<= 65535, got \"" +
                       text + "\"";
    },
    "\"LOW HIGH\"");

const CLI::Validator kCidr(
    [](std::string& text) -> std::string {
      try {
        AccessControlList({text});
        return "";
      } catch (const std::invalid_argument& error) {
        return error.what();
      }
    },
    "CIDR");

// An existing file, or "" for none: the config file spells unset paths so.
const CLI::Validator OptionalFile(
    [](std::string& path) -> std::string {
      return path.empty() ? "" : CLI::ExistingFile(path);
    },
    "FILE");

// "INI was not able to parse foo.bar" -> "foo.bar"
std::string UnknownKey(const CLI::ConfigError& error) {
  const std::string text = error.what();
  const auto space = text.rfind(' ');
  return space == std::string::npos ? text : text.substr(space + 1);
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseDuration(
    const std::string& text) {
  double value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || value < 0) return std::nullopt;
  const std::string unit(end, text.data() + text.size());
  double ms_per_unit = 0;
  if (unit == "ms") {
    ms_per_unit = 1;
  } else if (unit == "s") {
    ms_per_unit = 1000;
  } else if (unit == "m") {
    ms_per_unit = 60000;
  } else if (unit == "h") {
    ms_per_unit = 3600000;
  } else {
    return std::nullopt;
  }
  const double ms = value * ms_per_unit;
  if (ms > 86400000.0 * 365) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

void AddDaemonOptions(CLI::App& command, DaemonConfig& config) {
  // Keys keep their dots ("collect.interval"): '/' never appears in a key,
  // so CLI11 never splits them into sections.
  auto format = std::make_shared<CLI::ConfigTOML>();
  format->parentSeparator('/');
  command.config_formatter(format);
  command.allow_config_extras(CLI::config_extras_mode::error);
  command.set_config("--config.file", kDefaultConfigFile,
                     "Configuration file (keys are the flag names); a missing "
                     "default file is not an error");

  AddDuration(command, "--collect.interval", config.collect_interval,
              "Time between collections");
  command.add_option("--collect.netns", config.netns,
                     "Watch this network namespace (name under /run/netns "
                     "or a path) instead of the daemon's own; \"all\": "
                     "every namespace on the host, labelled netns");
  command
      .add_option("--collect.replay-dump", config.replay_dump,
                  "Collect from a recorded dump instead of the kernel "
                  "(testing and demonstrations)")
      ->check(OptionalFile);
  command
      .add_option("--collect.local-port-range", config.local_port_range,
                  "Ephemeral port range \"LOW HIGH\" for port classification; "
                  "default: net.ipv4.ip_local_port_range of the namespace")
      ->check(kPortRange);
  AddCountOptions(command, config.counting);
  command
      .add_option("--web.listen-address", config.listen_address,
                  "Address to serve metrics on, [HOST]:PORT")
      ->capture_default_str();
  command
      .add_option("--web.telemetry-path", config.telemetry_path,
                  "Path under which to expose metrics")
      ->check(CLI::Validator(
          [](std::string& path) -> std::string {
            return !path.empty() && path.front() == '/'
                       ? ""
                       : "expected a path starting with /, got \"" + path +
                             "\"";
          },
          "PATH"))
      ->capture_default_str();
  command
      .add_option("--web.allow", config.web_allow,
                  "Client networks allowed to scrape (comma-separated CIDRs); "
                  "default: everyone")
      ->delimiter(',')
      ->check(kCidr);
  command
      .add_option("--web.max-connections", config.web_max_connections,
                  "Connections served at once (one thread each); more wait. "
                  "A client that never finishes its request holds one for "
                  "up to 5 s")
      ->check(CLI::Range(std::size_t{2}, std::size_t{1024}))
      ->capture_default_str();
  command
      .add_option("--web.auth-file", config.web_auth_file,
                  "File of user:bcrypt-hash lines; when set, scrapes need "
                  "HTTP basic auth")
      ->check(OptionalFile);
  AddDuration(command, "--leak.close-wait-age", config.leak.old_after,
              "CLOSE_WAIT sockets older than this are counted in "
              "tcpstate_close_wait_old_sockets");
  command
      .add_option("--leak.max-tracked", config.leak.max_tracked,
                  "CLOSE_WAIT sockets followed at most; the rest are counted "
                  "in tcpstate_close_wait_untracked")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000000}))
      ->capture_default_str();
  for (TcpState state : kPileupStates) {
    // Every watched state has a default rule (PileupRules::Defaults).
    PileupRule& rule = *config.pileup_rules.by_state[Index(state)];
    const std::string prefix = "--pileup." + std::string(StateName(state));
    command
        .add_option(prefix + ".min-sockets", rule.min_sockets,
                    "Flag a port once it has this many sockets in the state")
        ->capture_default_str();
    command
        .add_option(prefix + ".min-share", rule.min_share,
                    "... and they are at least this fraction of all sockets")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    command
        .add_option(prefix + ".for", rule.sustain,
                    "... for this many collections in a row")
        ->check(CLI::Range(1, 10000))
        ->capture_default_str();
  }
  command.add_option("--log.level", config.log_level, "Log level")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  command
      .add_option("--log.target", config.log_target,
                  "Where logs go: auto (journald when started by systemd, "
                  "else stderr), stderr or journal")
      ->check(CLI::IsMember({"auto", "stderr", "journal"}))
      ->capture_default_str();
}

namespace {

std::string ConfigFileName(const CLI::App& app) {
  return app.get_option("--config.file")->as<std::string>();
}

}  // namespace

namespace {

// Runs `parse` on an app holding the daemon's options and turns CLI11's
// exceptions into one-line ConfigProblems.
template <typename Parse>
DaemonConfig ParseWith(Parse parse) {
  DaemonConfig config;
  CLI::App app("tcpstated run", "tcpstated run");
  AddDaemonOptions(app, config);
  try {
    parse(app);
  } catch (const CLI::CallForHelp&) {
    throw HelpRequested{app.help()};
  } catch (const CLI::ConfigError& error) {
    throw ConfigProblem("config file " + ConfigFileName(app) +
                        ": unknown key \"" + UnknownKey(error) +
                        "\" (the keys are the flag names of `tcpstated run "
                        "--help` without the dashes)");
  } catch (const CLI::FileError& error) {
    throw ConfigProblem(std::string("config file: ") + error.what());
  } catch (const CLI::ParseError& error) {
    // The value may come from the file or a flag; name both.
    throw ConfigProblem("bad setting (config file " + ConfigFileName(app) +
                        " or command line): " + error.what());
  }
  config.config_file = ConfigFileName(app);
  if (config.netns == kAllNamespaces && !config.replay_dump.empty()) {
    throw ConfigProblem(
        "collect.netns = all watches the kernel's namespaces; it cannot be "
        "combined with collect.replay-dump");
  }
  return config;
}

}  // namespace

DaemonConfig ParseDaemonConfig(const std::vector<std::string>& args) {
  return ParseWith([&args](CLI::App& app) {
    app.parse(std::vector<std::string>(args.rbegin(), args.rend()));
  });
}

DaemonConfig ParseDaemonConfigText(const std::string& text) {
  return ParseWith([&text](CLI::App& app) {
    std::istringstream stream(text);
    app.parse_from_stream(stream);
  });
}

}  // namespace tcpstated
