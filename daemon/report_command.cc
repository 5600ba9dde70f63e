#include "report_command.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/host/sysctls.h"
#include "tcpstated/io/files.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/report/report.h"

namespace tcpstated {
namespace {

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

// Usage errors in the arguments, before any work: one line.
std::optional<std::string> CheckArguments(ReportCommandOptions& options) {
  ReportSettings& settings = options.settings;
  if (!settings.replay_dump.empty()) {
    try {
      OpenRegularFile(settings.replay_dump);
    } catch (const FileProblem& problem) {
      return std::string("--replay-dump: ") + problem.what();
    }
  }
  if (!options.netns.empty() && options.netns != kAllNamespaces) {
    try {
      CheckNetworkNamespace(options.netns);
    } catch (const CollectError& error) {
      return std::string("--netns: ") + error.what();
    }
  }
  if (!options.local_port_range.empty()) {
    settings.counting.ephemeral_range =
        ParsePortRange(options.local_port_range);
    if (!settings.counting.ephemeral_range) {
      return "--local-port-range: expected \"LOW HIGH\" with LOW <= HIGH <= "
             "65535, got \"" +
             options.local_port_range + "\"";
    }
  }
  if (options.netns == kAllNamespaces && options.record_dump_given) {
    return "--record-dump records one namespace; it cannot be combined with "
           "--netns all";
  }
  settings.request = options.request == "per-family"
                         ? DiagRequest::kPerFamily
                         : DiagRequest::kLegacyOneWalk;
  settings.close_wait_ages =
      options.close_wait_ages == "always"  ? CloseWaitAges::kAlways
      : options.close_wait_ages == "never" ? CloseWaitAges::kNever
                                           : CloseWaitAges::kAuto;
  return std::nullopt;
}

int ReportHost(const ReportCommandOptions& options,
               const TextReportOptions& text) {
  const Sweep sweep = CollectHostForReport(
      options.settings, [](LogLevel, const std::string& line) {
        std::cerr << "tcpstated: " << line << "\n";
      });
  const int printed =
      Print(options.format == "json" ? FormatJsonReport(sweep)
                                     : FormatTextReport(sweep, text));
  const auto failed =
      std::count_if(sweep.results.begin(), sweep.results.end(),
                    [](const NamespaceResult& r) { return !r.snapshot; });
  if (failed > 0) {
    std::cerr << "tcpstated: " << failed
              << " network namespaces could not be collected (see the "
                 "report)\n";
    return 1;
  }
  return printed;
}

}  // namespace

int RunReportCommand(ReportCommandOptions options) {
  if (const auto problem = CheckArguments(options)) {
    std::cerr << "tcpstated: " << *problem << "\n";
    return 2;
  }
  try {
    const TextReportOptions text{.top_ports_per_state = options.top};
    if (options.netns == kAllNamespaces) return ReportHost(options, text);
    if (!options.netns.empty()) EnterNetns(options.netns);
    std::optional<RawDumpWriter> recorder;
    if (options.record_dump_given) {
      try {
        recorder.emplace(options.record_dump);
      } catch (const CollectError& error) {
        std::cerr << "tcpstated: --record-dump: " << error.what() << "\n";
        return 2;
      }
    }
    const Snapshot snapshot =
        CollectForReport(options.settings, recorder ? &*recorder : nullptr);
    return Print(options.format == "json" ? FormatJsonReport(snapshot)
                                          : FormatTextReport(snapshot, text));
  } catch (const CollectError& error) {
    std::cerr << "tcpstated: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace tcpstated
