// The options of `tcpstated run`, which are also the keys of its config
// file.
#include <CLI/CLI.hpp>

#include "count_options.h"
#include "daemon_config.h"
#include "strict_options.h"
#include "tcpstated/host/sysctls.h"
#include "tcpstated/web/access_list.h"
#include "tcpstated/web/listen_address.h"

namespace tcpstated {
namespace {

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
        AccessList::Parse({text});
        return "";
      } catch (const std::invalid_argument& error) {
        return error.what();
      }
    },
    "CIDR");

void AddCollectOptions(CLI::App& command, DaemonConfig& config) {
  AddDurationOption(command, "--collect.interval", config.collect_interval,
                    "Time between collections");
  command.add_option("--collect.netns", config.netns,
                     "Watch this network namespace (name under /run/netns "
                     "or a path) instead of the daemon's own; \"all\": "
                     "every namespace on the host, labelled netns");
  command.add_option("--collect.replay-dump", config.replay_dump,
                     "Collect from a recorded dump (a regular file) instead "
                     "of the kernel (testing and demonstrations)");
  command
      .add_option("--collect.local-port-range", config.local_port_range,
                  "Ephemeral port range \"LOW HIGH\" for port classification; "
                  "default: net.ipv4.ip_local_port_range of the namespace")
      ->check(kPortRange);
  AddCountOptions(command, config.counting, config.max_netns,
                  config.runtime_dirs);
}

const CLI::Validator kListenAddress(
    [](std::string& text) -> std::string {
      try {
        ParseListenAddress(text);
        return "";
      } catch (const std::invalid_argument& error) {
        return error.what();
      }
    },
    "[HOST]:PORT");

void AddWebOptions(CLI::App& command, DaemonConfig& config) {
  HttpFrontOptions& web = config.web;
  command
      .add_option("--web.listen-address", web.listen_addresses,
                  "Address to serve metrics on, [HOST]:PORT (repeat for "
                  "more): :PORT is IPv6 and IPv4, [::]:PORT IPv6 only")
      ->check(kListenAddress)
      ->capture_default_str();
  command.add_flag("--web.systemd-socket", config.web_systemd_socket,
                   "Serve on the sockets systemd passes (socket activation) "
                   "instead of --web.listen-address");
  command.add_option("--web.config.file", web.web_config_file,
                     "exporter-toolkit web config file (TLS, basic auth, "
                     "headers), as node_exporter takes; reloaded on SIGHUP");
  command
      .add_option("--web.telemetry-path", web.telemetry_path,
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
      .add_option("--web.allow", web.allow,
                  "Client networks allowed to scrape (comma-separated CIDRs); "
                  "default: everyone")
      ->delimiter(',')
      ->check(kCidr);
  AddNumberOption(command, "--web.max-connections", web.max_connections, 1,
                  4096,
                  "Connections open at once per listening address; further "
                  "ones are closed at once");
  AddNumberOption(command, "--web.max-connections-per-client",
                  web.max_connections_per_client, 1, 4096,
                  "Connections open at once from one client address, so "
                  "that one client cannot take them all");
  AddNumberOption(command, "--web.threads", web.threads, 1, 16,
                  "Threads serving each listening address (event-driven: "
                  "not one per connection)");
  AddDurationOption(command, "--web.timeout", web.timeout,
                    "A connection idle this long is closed",
                    std::chrono::seconds(1));
}

void AddDetectionOptions(CLI::App& command, DaemonConfig& config) {
  AddDurationOption(command, "--leak.close-wait-age", config.leak.old_after,
                    "CLOSE_WAIT sockets older than this are counted in "
                    "tcpstate_close_wait_old_sockets");
  AddNumberOption(command, "--leak.max-tracked", config.leak.max_tracked, 1,
                  10'000'000,
                  "CLOSE_WAIT sockets followed at most; the rest are counted "
                  "in tcpstate_close_wait_untracked");
  for (TcpState state : kPileupStates) {
    // Every watched state has a default rule (PileupRules::Defaults).
    PileupRule& rule = *config.pileup_rules.by_state[Index(state)];
    const std::string prefix = "--pileup." + std::string(StateName(state));
    AddNumberOption(command, prefix + ".min-sockets", rule.min_sockets, 1,
                    100'000'000,
                    "Flag a port once it has this many sockets in the state");
    AddFractionOption(command, prefix + ".min-share", rule.min_share,
                      "... and they are at least this fraction of all "
                      "sockets");
    AddNumberOption(command, prefix + ".for", rule.sustain, 1, 10000,
                    "... for this many collections in a row");
  }
  for (StallKind kind : kAllStallKinds) {
    PileupRule& rule =
        *config.pileup_rules.by_stall[static_cast<std::size_t>(kind)];
    const std::string prefix = "--stall." + std::string(StallKindName(kind));
    AddNumberOption(command, prefix + ".min-sockets", rule.min_sockets, 1,
                    100'000'000,
                    "Flag a port once this many of its connections are "
                    "stalled this way");
    AddNumberOption(command, prefix + ".for", rule.sustain, 1, 10000,
                    "... for this many collections in a row");
  }
}

void AddLogOptions(CLI::App& command, DaemonConfig& config) {
  command.add_option("--log.level", config.log_level, "Log level")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  command
      .add_option("--log.target", config.log_target,
                  "Where logs go: auto (journald when started by systemd, "
                  "else stderr), stderr or journal; read at start only")
      ->check(CLI::IsMember({"auto", "stderr", "journal"}))
      ->capture_default_str();
}

}  // namespace

void AddDaemonOptions(CLI::App& command, DaemonConfig& config) {
  // Keys keep their dots ("collect.interval"): '/' never appears in a key,
  // so CLI11 never splits them into sections.
  auto format = std::make_shared<CLI::ConfigTOML>();
  format->parentSeparator('/');
  command.config_formatter(format);
  command.allow_config_extras(CLI::config_extras_mode::error);
  command
      .add_option("--config.file", config.config_file,
                  "Configuration file (keys are the flag names); default " +
                      std::string(kDefaultConfigFile) +
                      ", where a missing file is not an error")
      ->configurable(false);
  AddCollectOptions(command, config);
  AddWebOptions(command, config);
  AddDetectionOptions(command, config);
  AddLogOptions(command, config);
}

}  // namespace tcpstated
