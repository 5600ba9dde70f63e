#include "run_command.h"

#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "collection_loop.h"
#include "daemon_config.h"
#include "logging.h"
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
  settings.counting = config.counting;
  if (!config.local_port_range.empty()) {
    settings.counting.ephemeral_range = ParsePortRange(config.local_port_range);
  }
  settings.netns = config.netns;
  settings.replay_dump = config.replay_dump;
  settings.pileup_rules = config.pileup_rules;
  settings.close_wait = config.leak;
  return settings;
}

// Everything a config needs beyond what the option parser checks.
std::optional<PasswordFile> LoadAuth(const DaemonConfig& config) {
  if (config.web_auth_file.empty()) return std::nullopt;
  try {
    return PasswordFile::Load(config.web_auth_file);
  } catch (const std::runtime_error& error) {
    throw ConfigProblem(std::string("web.auth-file: ") + error.what());
  }
}

bool WebSettingsDiffer(const DaemonConfig& a, const DaemonConfig& b) {
  return a.listen_address != b.listen_address ||
         a.telemetry_path != b.telemetry_path || a.web_allow != b.web_allow ||
         a.web_max_connections != b.web_max_connections ||
         a.web_auth_file != b.web_auth_file;
}

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
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
// keeps the running configuration.
void Reload(const std::vector<std::string>& args, DaemonConfig& config,
            CollectionLoop& loop) {
  try {
    const DaemonConfig fresh = ParseDaemonConfig(args);
    LoadAuth(fresh);
    if (WebSettingsDiffer(config, fresh)) {
      spdlog::warn(
          "web.* settings changed: they take effect after a "
          "restart");
    }
    SetUpLogging(fresh.log_level, fresh.log_target);
    loop.Reconfigure(SettingsFrom(fresh));
    config = fresh;
    spdlog::info("configuration reloaded from {}", config.config_file);
  } catch (const ConfigProblem& problem) {
    spdlog::error("reload failed, keeping the running configuration: {}",
                  problem.what());
  }
}

// Until SIGTERM or SIGINT: READY=1 with the first snapshot, reloads on
// SIGHUP.
void ServeUntilStopped(const std::vector<std::string>& args,
                       DaemonConfig& config, const SnapshotStore& store,
                       const SystemdNotifier& notifier, CollectionLoop& loop) {
  const sigset_t signals = HandledSignals();
  bool ready = false;
  for (;;) {
    if (!ready && store.Latest() != nullptr) {
      notifier.Ready("serving metrics");
      ready = true;
    }
    // Poll for the first snapshot (READY=1); after that, sleep until a
    // signal arrives: an idle daemon wakes only to collect.
    const timespec poll = {0, 100 * 1000 * 1000};
    siginfo_t info;
    const int signal = ready ? sigwaitinfo(&signals, &info)
                             : sigtimedwait(&signals, &info, &poll);
    if (signal == SIGTERM || signal == SIGINT) {
      spdlog::info("stopping on {}", signal == SIGTERM ? "SIGTERM" : "SIGINT");
      notifier.Stopping();
      return;
    }
    if (signal == SIGHUP) {
      notifier.Reloading();
      Reload(args, config, loop);
      notifier.Ready("serving metrics");
    }
  }
}

}  // namespace

int CheckConfigCommand(const std::string& file) {
  try {
    const DaemonConfig config = ParseDaemonConfig({"--config.file", file});
    LoadAuth(config);
    std::cout << file << ": OK\n";
    return 0;
  } catch (const ConfigProblem& problem) {
    std::cerr << "tcpstated: " << problem.what() << "\n";
    return 2;
  }
}

int RunDaemonCommand(const std::vector<std::string>& args) {
  DaemonConfig config;
  std::optional<PasswordFile> auth;
  try {
    config = ParseDaemonConfig(args);
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

  // Signals are taken synchronously by this thread; every thread started
  // from here on inherits the blocked mask.
  const sigset_t signals = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SnapshotStore store;
  const SystemdNotifier notifier;
  std::unique_ptr<MetricsExporter> exporter;
  try {
    exporter = StartExporter(config, auth, store);
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return 1;
  }
  CollectionLoop loop(store, notifier, SettingsFrom(config));
  ServeUntilStopped(args, config, store, notifier, loop);
  loop.Stop();
  spdlog::info("stopped");
  spdlog::shutdown();
  std::fflush(nullptr);
  // Not destroying the exporter is deliberate: civetweb's master thread
  // polls in 2 s quanta and mg_stop() waits for it, which would blow the
  // 2 s stop budget. The exporter holds nothing that needs flushing; the
  // kernel closes its sockets.
  std::_Exit(0);
}

}  // namespace tcpstated
