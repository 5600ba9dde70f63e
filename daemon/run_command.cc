#include "run_command.h"

#include <malloc.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "logging.h"
#include "main_events.h"
#include "store_content.h"
#include "systemd_notifier.h"
#include "tcpstated/collect/collection_loop.h"
#include "tcpstated/events/churn_events.h"
#include "tcpstated/metrics/exposition.h"
#include "tcpstated/metrics/snapshot_store.h"
#include "tcpstated/settings/command_line.h"
#include "tcpstated/version.h"
#include "tcpstated/web/http_front.h"
#include "tcpstated/web/web_config.h"

namespace tcpstated {
namespace {

CollectionSettings SettingsFrom(const Config& config) {
  CollectionSettings settings;
  settings.interval = config.collect_interval;
  settings.netns = config.netns;
  settings.max_netns = config.max_netns;
  settings.runtime_dirs = config.runtime_dirs;
  WatchSettings& watch = settings.watch;
  watch.counting = config.counting;
  watch.replay_dump = config.replay_dump;
  watch.rules = config.rules;
  watch.close_wait = config.leak;
  watch.churn = {.max_ports = config.counting.max_ports,
                 .lifetime_ports = config.lifetime_ports};
  return settings;
}

// The event source when asked for: loaded once, for the daemon's life.
// Without it the counts go on; the log says why once.
std::shared_ptr<ChurnEvents> LoadEvents(const Config& config) {
  if (config.events != "bpf") return nullptr;
  auto events = std::make_shared<ChurnEvents>(config.lifetime_ports > 0);
  if (events->status().enabled) {
    WriteLog(LogLevel::kInfo,
             "collect.events = bpf: counting connection churn per port");
  } else {
    WriteLog(LogLevel::kWarn,
             "collect.events = bpf: not enabled (" + events->status().reason +
                 "): " + events->detail() + "; socket counts go on without it");
  }
  return events;
}

// Parses and validates, the HTTP front's options included (listen
// addresses, the web config file's certificates, key and hashes);
// deprecated spellings are logged (or printed, before the logger exists)
// by the caller.
CommandLine LoadConfig(const std::vector<std::string>& args) {
  CommandLine line = ParseCommandLine("run", args, Scope::kRun);
  ValidateConfig(line.config);
  try {
    CheckHttpFrontOptions(line.config.web);
  } catch (const WebConfigError& error) {
    throw ConfigProblem(std::string("web.config.file: ") + error.what());
  } catch (const std::invalid_argument& error) {
    throw ConfigProblem(std::string("web.listen-address: ") + error.what());
  }
  return line;
}

// The front's options, with the sockets systemd passed when asked to use
// them. Throws std::runtime_error when there are none.
HttpFrontOptions WebOptions(const Config& config,
                            const std::vector<int>& systemd_sockets) {
  HttpFrontOptions web = config.web;
  if (config.web_systemd_socket) {
    if (systemd_sockets.empty()) {
      throw std::runtime_error(
          "--web.systemd-socket: systemd passed no listening socket (is the "
          "service started through tcpstated.socket?)");
    }
    web.inherited_sockets = systemd_sockets;
  }
  return web;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// SIGHUP: re-read the file (and the flags, which still win); a bad file
// keeps the running configuration. The logger stays the one built at
// start: only its level changes.
void Reload(const std::vector<std::string>& args, Config& config,
            const std::vector<int>& systemd_sockets, HttpFront& front,
            CollectionLoop& loop, SnapshotStore& store) {
  try {
    const Config fresh = LoadConfig(args).config;
    const auto restart_only = front.Reload(WebOptions(fresh, systemd_sockets));
    if (!restart_only.empty()) {
      WriteLog(LogLevel::kWarn,
               "changed, but taking effect after a restart only: " +
                   Join(restart_only));
    }
    if (fresh.log_target != config.log_target) {
      WriteLog(LogLevel::kWarn, "log.target changed to \"" + fresh.log_target +
                                    "\": takes effect after a restart");
    }
    if (fresh.events != config.events) {
      WriteLog(LogLevel::kWarn, "collect.events changed to \"" + fresh.events +
                                    "\": takes effect after a restart");
    }
    SetLogLevel(fresh.log_level);
    loop.Reconfigure(SettingsFrom(fresh));
    store.SetSeriesLimit(fresh.max_series);
    config = fresh;
    WriteLog(LogLevel::kInfo,
             "configuration reloaded from " +
                 (config.config_file.empty() ? std::string("the command line")
                                             : config.config_file));
  } catch (const std::exception& problem) {
    WriteLog(LogLevel::kError,
             std::string("reload failed, keeping the running configuration: ") +
                 problem.what());
  }
}

// Until SIGTERM or SIGINT (exit 0) or a fatal error of the collection
// thread (exit 1): READY=1 once the first snapshot is published, reloads on
// SIGHUP.
int ServeUntilStopped(const std::vector<std::string>& args, Config& config,
                      SnapshotStore& store, const SystemdNotifier& notifier,
                      HttpFront& front, CollectionLoop& loop,
                      MainEvents& events) {
  bool ready = false;
  for (;;) {
    switch (events.Wait()) {
      case MainEvents::Event::kTerminate:
      case MainEvents::Event::kInterrupt:
        WriteLog(LogLevel::kInfo, "stopping");
        notifier.Stopping();
        return 0;
      case MainEvents::Event::kReload:
        // Before READY=1 there is nothing to announce: systemd still
        // waits for the start.
        if (ready) notifier.Reloading();
        Reload(args, config, notifier.ListenSockets(), front, loop, store);
        if (ready) notifier.Ready("serving metrics");
        break;
      case MainEvents::Event::kNews:
        if (const auto fatal = loop.FatalError()) {
          WriteLog(LogLevel::kError, "cannot collect: " + *fatal);
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
  Config config;
  try {
    config = LoadConfig(args).config;
  } catch (const HelpRequested& help) {
    std::cout << help.text;
    return 0;
  } catch (const ConfigProblem& problem) {
    std::cerr << "tcpstated: " << problem.what() << "\n";
    return 2;
  }
  SetUpLogging(config.log_level, config.log_target);

  // The threads that render expositions or check passwords are few and
  // long-lived; two malloc arenas serve them without each thread keeping
  // its own high-water mark.
  mallopt(M_ARENA_MAX, 2);
  // The soft open-file limit up to the hard one, as Go programs do: the
  // HTTP front bounds its connections by it (and warns when
  // web.max-connections does not fit), and collection needs the rest.
  if (rlimit files{}; getrlimit(RLIMIT_NOFILE, &files) == 0 &&
                      files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }

  // Before any thread starts: every thread inherits the blocked mask, and
  // the signals reach the main thread through MainEvents only.
  MainEvents::BlockHandledSignals();
  MainEvents events;
  SnapshotStore store;
  store.SetSeriesLimit(config.max_series);
  StoreContent content(store);
  const SystemdNotifier notifier;
  std::unique_ptr<HttpFront> front;
  try {
    front = std::make_unique<HttpFront>(
        WebOptions(config, notifier.ListenSockets()), content, DaemonLog());
  } catch (const std::exception& error) {
    WriteLog(LogLevel::kError, error.what());
    return 1;
  }
  WriteLog(LogLevel::kInfo,
           std::string("tcpstated ") + kVersion + " serving " +
               config.web.telemetry_path + " on " + Join(front->Listening()) +
               ", collecting every " +
               std::to_string(config.collect_interval.count()) + " ms");
  LoopHooks hooks;
  hooks.watchdog_ping = [&notifier] { notifier.WatchdogPing(); };
  hooks.watchdog_period = notifier.WatchdogPeriod();
  hooks.on_news = [&events] { events.Notify(); };
  hooks.log = DaemonLog();
  hooks.events = LoadEvents(config);
  CollectionLoop loop(store, SettingsFrom(config), std::move(hooks));
  const int status =
      ServeUntilStopped(args, config, store, notifier, *front, loop, events);
  loop.Stop();
  front.reset();
  WriteLog(LogLevel::kInfo, "stopped");
  StopLogging();
  return status;
}

}  // namespace tcpstated
