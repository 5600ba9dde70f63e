#include "report_command.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "tcpstated/collect/report_collection.h"
#include "tcpstated/events/churn_events.h"
#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/report/report.h"
#include "tcpstated/settings/command_line.h"

namespace tcpstated {
namespace {

// What the report is told to collect.
ReportSettings SettingsOf(const Config& config) {
  const ReportFlags& r = config.report;
  ReportSettings settings;
  settings.counting = config.counting;
  settings.runtime_dirs = config.runtime_dirs;
  settings.replay_dump = config.replay_dump;
  settings.rules = config.rules;
  settings.leak_age = config.leak.old_after;
  settings.interval = r.interval;
  settings.churn = {.max_ports = config.counting.max_ports,
                    .lifetime_ports = config.lifetime_ports};
  settings.request = r.request == "per-family" ? DiagRequest::kPerFamily
                                               : DiagRequest::kLegacyOneWalk;
  settings.close_wait_ages =
      r.close_wait_ages == "always"  ? CloseWaitAges::kAlways
      : r.close_wait_ages == "never" ? CloseWaitAges::kNever
                                     : CloseWaitAges::kAuto;
  return settings;
}

// The whole report, every byte checked: a full disk or a closed pipe is a
// failure (exit 1), not a truncated report with exit 0.
int Print(const std::string& out) {
  std::string_view rest = out;
  while (!rest.empty()) {
    const ssize_t written = ::write(STDOUT_FILENO, rest.data(), rest.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      std::cerr << "tcpstated: writing the report: " << std::strerror(errno)
                << "\n";
      return 1;
    }
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

// collect.events = bpf: the event source, loaded before the interval
// begins (it counts from then on); the report's rates need --interval.
std::unique_ptr<ChurnEvents> LoadEvents(const Config& config) {
  if (config.events != "bpf" || config.report.interval.count() <= 0 ||
      !config.replay_dump.empty()) {
    return nullptr;
  }
  auto events = std::make_unique<ChurnEvents>(config.lifetime_ports > 0);
  if (!events->status().enabled) {
    std::cerr << "tcpstated: collect.events = bpf: not enabled ("
              << events->status().reason << "): " << events->detail() << "\n";
  }
  return events;
}

int ReportHost(const Config& config, const TextReportOptions& text,
               ChurnEvents* events) {
  ReportSettings settings = SettingsOf(config);
  settings.events = events;
  const Sweep sweep =
      CollectHostForReport(settings, [](LogLevel, const std::string& line) {
        std::cerr << "tcpstated: " << line << "\n";
      });
  const int printed =
      Print(config.report.format == "json" ? FormatJsonReport(sweep)
                                           : FormatTextReport(sweep, text));
  const auto failed =
      std::count_if(sweep.results.begin(), sweep.results.end(),
                    [](const NamespaceResult& ns) { return !ns.snapshot; });
  if (failed > 0) {
    std::cerr << "tcpstated: " << failed
              << " network namespaces could not be collected (see the "
                 "report)\n";
    return 1;
  }
  return printed;
}

int Report(const Config& config) {
  const ReportFlags& r = config.report;
  const TextReportOptions text{.top_ports_per_state = r.top};
  const auto events = LoadEvents(config);
  if (config.netns == kAllNamespaces) {
    return ReportHost(config, text, events.get());
  }
  if (!config.netns.empty()) EnterNetns(config.netns);
  std::optional<RawDumpWriter> recorder;
  if (r.record_dump) {
    try {
      recorder.emplace(*r.record_dump);
    } catch (const CollectError& error) {
      std::cerr << "tcpstated: --record-dump: " << error.what() << "\n";
      return 2;
    }
  }
  ReportSettings settings = SettingsOf(config);
  settings.events = events.get();
  const Snapshot snapshot =
      CollectForReport(settings, recorder ? &*recorder : nullptr);
  return Print(r.format == "json" ? FormatJsonReport(snapshot)
                                  : FormatTextReport(snapshot, text));
}

}  // namespace

int RunReportCommand(const std::vector<std::string>& args) {
  Config config;
  try {
    CommandLine line = ParseCommandLine("report", args, Scope::kBoth);
    for (const std::string& note : line.notes) {
      std::cerr << "tcpstated: " << note << "\n";
    }
    config = std::move(line.config);
    ValidateConfig(config);
    if (config.netns == kAllNamespaces && config.report.record_dump) {
      throw ConfigProblem(
          "--record-dump records one namespace; it cannot be combined with "
          "--collect.netns all");
    }
  } catch (const HelpRequested& help) {
    std::cout << help.text;
    return 0;
  } catch (const ConfigProblem& problem) {
    std::cerr << "tcpstated: " << problem.what() << "\n";
    return 2;
  }
  try {
    return Report(config);
  } catch (const CollectError& error) {
    std::cerr << "tcpstated: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace tcpstated
