// The flags of `tcpstated report`.
#include <CLI/CLI.hpp>

#include "count_options.h"
#include "report_command.h"
#include "strict_options.h"

namespace tcpstated {

CLI::App* AddReportCommand(CLI::App& app, ReportCommandOptions& options) {
  CLI::App* report = app.add_subcommand(
      "report",
      "Print TCP sockets per state, busiest ports and accept "
      "queues once, then exit");
  report->add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  report->add_option("--netns", options.netns,
                     "Network namespace: a name under /run/netns, a path "
                     "such as /proc/PID/ns/net, or \"all\" for every "
                     "namespace on the host, one section each");
  report->add_option_function<std::string>(
      "--record-dump",
      [&options](const std::string& path) {
        options.record_dump = path;
        options.record_dump_given = true;
      },
      "Also write the raw netlink dump to FILE (the format of `ss -D "
      "FILE`): a new file (mode 0600), a FIFO or a device; an existing "
      "file is not overwritten");
  report
      ->add_option("--replay-dump", options.settings.replay_dump,
                   "Read a recorded dump (ours or `ss -t -a -D FILE`) "
                   "instead of asking the kernel")
      ->check(CLI::ExistingFile)
      ->excludes("--record-dump")
      ->excludes("--netns");
  report->add_option("--local-port-range", options.local_port_range,
                     "Ephemeral port range \"LOW HIGH\" used to classify "
                     "ports; default: the namespace's "
                     "net.ipv4.ip_local_port_range (32768 60999 on replay)");
  AddCountOptions(*report, options.settings.counting, options.max_netns_unused,
                  options.settings.runtime_dirs);
  report->add_option("--top", options.top, "Ports listed per state (text)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  report
      ->add_option("--request", options.request,
                   "Netlink request: one walk for both families, or one "
                   "SOCK_DIAG_BY_FAMILY request per family")
      ->check(CLI::IsMember({"legacy-one-walk", "per-family"}))
      ->capture_default_str();
  AddDurationOption(*report, "--interval", options.settings.interval,
                    "Read the kernel's TCP counters twice this far apart and "
                    "report rates (0s: totals since boot only)",
                    std::chrono::milliseconds(0));
  report
      ->add_option("--close-wait-ages", options.close_wait_ages,
                   "Age CLOSE_WAIT sockets with a second dump of them with "
                   "tcp_info: auto (when a CLOSE_WAIT pileup is flagged), "
                   "always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  return report;
}

}  // namespace tcpstated
