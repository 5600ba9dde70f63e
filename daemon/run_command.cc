#include "run_command.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "collection_loop.h"
#include "daemon_config.h"
#include "logging.h"
#include "main_events.h"
#include "systemd_notifier.h"
#include "tcpstated/export/metrics_exporter.h"
#include "tcpstated/export/password_file.h"
#include "tcpstated/host/sysctls.h"
#include "tcpstated/version.h"

namespace tcpstated {
namespace {

CollectionSettings SettingsFrom(const DaemonConfig& config) {
  CollectionSettings settings;
  settings.interval = config.collect_interval;
  settings.netns = config.netns;
  WatchSettings& watch = settings.watch;
  watch.counting = config.counting;
  if (!config.local_port_range.empty()) {
    watch.counting.ephemeral_range = ParsePortRange(config.local_port_range);
  }
  watch.replay_dump = config.replay_dump;
  watch.pileup_rules = config.pileup_rules;
  watch.close_wait = config.leak;
  return settings;
}

// The auth file of a validated config.
std::optional<PasswordFile> LoadAuth(const DaemonConfig& config) {
  if (config.web_auth_file.empty()) return std::nullopt;
  try {
    return PasswordFile::Load(config.web_auth_file);
  } catch (const std::runtime_error& error) {
    throw ConfigProblem(std::string("web.auth-file: ") + error.what());
  }
}

DaemonConfig LoadConfig(const std::vector<std::string>& args) {
  DaemonConfig config = ParseDaemonConfig(args);
  ValidateDaemonConfig(config);
  return config;
}

bool WebSettingsDiffer(const DaemonConfig& a, const DaemonConfig& b) {
  return a.listen_address != b.listen_address ||
         a.telemetry_path != b.telemetry_path || a.web_allow != b.web_allow ||
         a.web_max_connections != b.web_max_connections ||
         a.web_auth_file != b.web_auth_file;
}

std::unique_ptr<MetricsExporter> StartExporter(
    const DaemonConfig& config, const std::optional<PasswordFile>& auth,
    const SnapshotStore& store) {
  ExporterOptions web;
  web.listen_address = config.listen_address;
  web.telemetry_path = config.telemetry_path;
  web.allow = config.web_allow;
  web.threads = config.web_max_connections;
  if (auth) {
    web.authenticate = [auth = std::make_shared<PasswordFile>(*auth)](
                           const std::string& user,
                           const std::string& password) {
      return auth->Check(user, password);
    };
  }
  auto exporter = std::make_unique<MetricsExporter>(web, store);
  spdlog::info(
      "tcpstated {} serving {} on {} (port {}), collecting every {} ms",
      kVersion, config.telemetry_path, config.listen_address,
      exporter->ListeningPorts().empty() ? 0
                                         : exporter->ListeningPorts().front(),
      config.collect_interval.count());
  return exporter;
}

// SIGHUP: re-read the file (and the flags, which still win); a bad file
// keeps the running configuration. The logger stays the one built at
// start: only its level changes.
void Reload(const std::vector<std::string>& args, DaemonConfig& config,
            CollectionLoop& loop) {
  try {
    const DaemonConfig fresh = LoadConfig(args);
    if (WebSettingsDiffer(config, fresh)) {
      spdlog::warn("web.* settings changed: they take effect after a restart");
    }
    if (fresh.log_target != config.log_target) {
      spdlog::warn("log.target changed to \"{}\": takes effect after a restart",
                   fresh.log_target);
    }
    SetLogLevel(fresh.log_level);
    loop.Reconfigure(SettingsFrom(fresh));
    config = fresh;
    spdlog::info("configuration reloaded from {}", config.config_file.empty()
                                                       ? "the command line"
                                                       : config.config_file);
  } catch (const ConfigProblem& problem) {
    spdlog::error("reload failed, keeping the running configuration: {}",
                  problem.what());
  }
}

// Until SIGTERM or SIGINT (exit 0) or a fatal error of the collection
// thread (exit 1): READY=1 once the first snapshot is published, reloads on
// SIGHUP.
int ServeUntilStopped(const std::vector<std::string>& args,
                      DaemonConfig& config, const SnapshotStore& store,
                      const SystemdNotifier& notifier, CollectionLoop& loop,
                      MainEvents& events) {
  bool ready = false;
  for (;;) {
    switch (events.Wait()) {
      case MainEvents::Event::kTerminate:
      case MainEvents::Event::kInterrupt:
        spdlog::info("stopping");
        notifier.Stopping();
        return 0;
      case MainEvents::Event::kReload:
        // Before READY=1 there is nothing to announce: systemd still
        // waits for the start.
        if (ready) notifier.Reloading();
        Reload(args, config, loop);
        if (ready) notifier.Ready("serving metrics");
        break;
      case MainEvents::Event::kNews:
        if (const auto fatal = loop.FatalError()) {
          spdlog::error("cannot collect: {}", *fatal);
          return 1;
        }
        if (!ready && store.HasSnapshot()) {
          notifier.Ready("serving metrics");
          ready = true;
        }
        break;
    }
  }
}

}  // namespace

int CheckConfigCommand(const std::string& file) {
  try {
    LoadConfig({"--config.file", file});
    std::cout << file << ": OK\n";
    return 0;
  } catch (const ConfigProblem& problem) {
    std::cerr << "tcpstated: " << problem.what() << "\n";
    return 2;
  } catch (const HelpRequested&) {
    return 2;  // cannot happen: no flag but the file
  }
}

int RunDaemonCommand(const std::vector<std::string>& args) {
  DaemonConfig config;
  std::optional<PasswordFile> auth;
  try {
    config = LoadConfig(args);
    auth = LoadAuth(config);
  } catch (const HelpRequested& help) {
    std::cout << help.text;
    return 0;
  } catch (const ConfigProblem& problem) {
    std::cerr << "tcpstated: " << problem.what() << "\n";
    return 2;
  }
  SetUpLogging(config.log_level, config.log_target);

  // glibc gives threads their own malloc arenas, and each keeps what it
  // freed: with one civetweb thread per connection, every thread that ever
  // built a large exposition would hold on to it. Two arenas serve a daemon
  // whose threads mostly wait (RSS at 1M sockets: 28 MiB -> 12 MiB).
  mallopt(M_ARENA_MAX, 2);

  // Before any thread starts: every thread inherits the blocked mask, and
  // the signals reach the main thread through MainEvents only.
  MainEvents::BlockHandledSignals();
  MainEvents events;
  SnapshotStore store;
  const SystemdNotifier notifier;
  std::unique_ptr<MetricsExporter> exporter;
  try {
    exporter = StartExporter(config, auth, store);
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return 1;
  }
  LoopHooks hooks;
  hooks.watchdog_ping = [&notifier] { notifier.WatchdogPing(); };
  hooks.watchdog_period = notifier.WatchdogPeriod();
  hooks.on_news = [&events] { events.Notify(); };
  CollectionLoop loop(store, SettingsFrom(config), std::move(hooks));
  const int status =
      ServeUntilStopped(args, config, store, notifier, loop, events);
  loop.Stop();
  spdlog::info("stopped");
  spdlog::shutdown();
  std::fflush(nullptr);
  // Not destroying the exporter is deliberate: civetweb's master thread
  // polls in 2 s quanta and mg_stop() waits for it, which would blow the
  // 2 s stop budget. The exporter holds nothing that needs flushing; the
  // kernel closes its sockets.
  std::_Exit(status);
}

}  // namespace tcpstated
