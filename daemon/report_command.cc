#include "report_command.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include "command_line.h"
#include "tcpstated/collect/report_collection.h"
#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/model/duration.h"
#include "tcpstated/report/report.h"

namespace tcpstated {
namespace {

// The flags of `report` that are not settings.
struct ReportFlags {
  std::string format = "text";
  std::size_t top = 5;
  std::optional<std::string> record_dump;
  ReportSettings settings;
};

std::vector<CommandFlag> Flags(ReportFlags& r) {
  return {
      {"--format",
       "Output format",
       ValueKind::kChoice,
       {"text", "json"},
       0,
       0,
       "text",
       [&r](const Value& v) { r.format = std::get<std::string>(v); }},
      {"--top",
       "Ports listed per state (text)",
       ValueKind::kCount,
       {},
       1,
       1000,
       "5",
       [&r](const Value& v) { r.top = std::get<std::uint64_t>(v); }},
      {"--record-dump",
       "Also write the raw netlink dump to FILE (the format of `ss -D "
       "FILE`): a new file (mode 0600), a FIFO or a device",
       ValueKind::kString,
       {},
       0,
       0,
       "",
       [&r](const Value& v) { r.record_dump = std::get<std::string>(v); }},
      {"--request",
       "Netlink request: one walk for both families, or one "
       "SOCK_DIAG_BY_FAMILY request per family",
       ValueKind::kChoice,
       {"legacy-one-walk", "per-family"},
       0,
       0,
       "legacy-one-walk",
       [&r](const Value& v) {
         r.settings.request = std::get<std::string>(v) == "per-family"
                                  ? DiagRequest::kPerFamily
                                  : DiagRequest::kLegacyOneWalk;
       }},
      {"--interval",
       "Read the kernel's TCP counters twice this far apart and report "
       "rates (0s: totals since boot only)",
       ValueKind::kDuration,
       {},
       0,
       0,
       "0s",
       [&r](const Value& v) {
         r.settings.interval =
             std::chrono::duration_cast<std::chrono::milliseconds>(
                 *ParseDuration(std::get<std::string>(v)));
       }},
      {"--close-wait-ages",
       "Age CLOSE_WAIT sockets with a second dump of them with tcp_info: "
       "auto (when a CLOSE_WAIT finding is reported), always, never",
       ValueKind::kChoice,
       {"auto", "always", "never"},
       0,
       0,
       "auto",
       [&r](const Value& v) {
         const std::string& text = std::get<std::string>(v);
         r.settings.close_wait_ages = text == "always"  ? CloseWaitAges::kAlways
                                      : text == "never" ? CloseWaitAges::kNever
                                                        : CloseWaitAges::kAuto;
       }},
  };
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

int ReportHost(const ReportFlags& r, const TextReportOptions& text) {
  const Sweep sweep =
      CollectHostForReport(r.settings, [](LogLevel, const std::string& line) {
        std::cerr << "tcpstated: " << line << "\n";
      });
  const int printed = Print(r.format == "json" ? FormatJsonReport(sweep)
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

int Report(const Config& config, ReportFlags& r) {
  const TextReportOptions text{.top_ports_per_state = r.top};
  if (config.netns == kAllNamespaces) return ReportHost(r, text);
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
  const Snapshot snapshot =
      CollectForReport(r.settings, recorder ? &*recorder : nullptr);
  return Print(r.format == "json" ? FormatJsonReport(snapshot)
                                  : FormatTextReport(snapshot, text));
}

}  // namespace

int RunReportCommand(const std::vector<std::string>& args) {
  ReportFlags r;
  Config config;
  try {
    CommandLine line = ParseCommandLine("report", args, Scope::kBoth, Flags(r));
    for (const std::string& note : line.notes) {
      std::cerr << "tcpstated: " << note << "\n";
    }
    config = std::move(line.config);
    ValidateConfig(config, Scope::kBoth);
    if (config.netns == kAllNamespaces && r.record_dump) {
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
  r.settings.counting = config.counting;
  r.settings.runtime_dirs = config.runtime_dirs;
  r.settings.replay_dump = config.replay_dump;
  r.settings.rules = config.rules;
  r.settings.leak_age = config.leak.old_after;
  try {
    return Report(config, r);
  } catch (const CollectError& error) {
    std::cerr << "tcpstated: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace tcpstated
