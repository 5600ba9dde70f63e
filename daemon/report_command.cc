#include "report_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "tcpstated/cgroup_owners.h"
#include "tcpstated/close_wait_probe.h"
#include "tcpstated/collect_error.h"
#include "tcpstated/collector.h"
#include "tcpstated/network_namespaces.h"
#include "tcpstated/pileup_detector.h"
#include "tcpstated/pileup_processes.h"
#include "tcpstated/raw_dump_writer.h"
#include "tcpstated/replay_source.h"
#include "tcpstated/report.h"
#include "tcpstated/sock_diag_source.h"
#include "tcpstated/system_config.h"

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
  report->add_option("--record-dump", options.record_dump,
                     "Also write the raw netlink dump to FILE (the format "
                     "of `ss -D FILE`)");
  report
      ->add_option("--replay-dump", options.replay_dump,
                   "Read a recorded dump (ours or `ss -t -a -D FILE`) "
                   "instead of asking the kernel")
      ->check(CLI::ExistingFile)
      ->excludes("--record-dump")
      ->excludes("--netns");
  report->add_option("--local-port-range", options.local_port_range,
                     "Ephemeral port range \"LOW HIGH\" used to classify "
                     "ports; default: the namespace's "
                     "net.ipv4.ip_local_port_range (32768 60999 on replay)");
  report
      ->add_option("--ports.max", options.max_ports,
                   "Busiest ports kept per direction; the rest are summed "
                   "as \"other\"")
      ->check(CLI::Range(std::size_t{1}, std::size_t{65536}))
      ->capture_default_str();
  report
      ->add_option("--units.max", options.max_units,
                   "Busiest units (or cgroups) listed; the rest are summed "
                   "as \"other\"")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}))
      ->capture_default_str();
  report->add_option("--top", options.top, "Ports listed per state (text)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  report
      ->add_option("--request", options.request,
                   "Netlink request: one walk for both families, or one "
                   "SOCK_DIAG_BY_FAMILY request per family")
      ->check(CLI::IsMember({"legacy-one-walk", "per-family"}))
      ->capture_default_str();
  report
      ->add_option("--close-wait-ages", options.close_wait_ages,
                   "Age CLOSE_WAIT sockets with a second dump of them with "
                   "tcp_info: auto (when a CLOSE_WAIT pileup is flagged), "
                   "always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  return report;
}

namespace {

// One namespace's report: collect the calling thread's namespace, flag
// pileups, and age and trace them where that answers the operator's next
// question. `cgroup_paths` is null on replay.
Snapshot TakeReportSnapshot(const ReportCommandOptions& options,
                            std::optional<PortRange> ephemeral_range,
                            CgroupFsPaths* cgroup_paths) {
  const bool live = options.replay_dump.empty();
  AggregatorOptions aggregation;
  aggregation.max_ports_per_direction = options.max_ports;
  aggregation.max_owners = options.max_units;
  if (ephemeral_range) {
    aggregation.ephemeral_range = *ephemeral_range;
  } else if (live) {
    aggregation.ephemeral_range = ReadLocalPortRange();
  }

  std::unique_ptr<DumpSource> source;
  std::optional<RawDumpWriter> recorder;
  if (!live) {
    source = std::make_unique<ReplaySource>(options.replay_dump);
  } else {
    if (!options.record_dump.empty()) recorder.emplace(options.record_dump);
    SockDiagOptions diag;
    diag.request = options.request == "per-family"
                       ? DiagRequest::kPerFamily
                       : DiagRequest::kLegacyOneWalk;
    source =
        std::make_unique<SockDiagSource>(diag, recorder ? &*recorder : nullptr);
  }

  Snapshot snapshot =
      Collect(*source, aggregation, nullptr, nullptr, cgroup_paths);
  // One snapshot, no history: the pileup thresholds apply without `for`.
  PileupDetector detector(PileupRules::Defaults().WithoutSustain());
  detector.Update(snapshot);
  snapshot.pileups = detector.Active();
  if (!live) return snapshot;

  // No history to age CLOSE_WAIT sockets by: ask the kernel, with a
  // second dump of just those sockets (tcp_info is too dear for all).
  // It costs a second walk of the kernel's tables: only when asked for,
  // or when a CLOSE_WAIT pileup makes the age the operator's question.
  const bool pileup = std::any_of(
      snapshot.pileups.begin(), snapshot.pileups.end(),
      [](const Pileup& p) { return p.state == TcpState::kCloseWait; });
  const bool wanted = options.close_wait_ages == "always" ||
                      (options.close_wait_ages == "auto" && pileup);
  if (wanted && snapshot.Totals()[Index(TcpState::kCloseWait)] > 0) {
    SockDiagSource close_wait_dump(
        {.kernel_states = kKernelCloseWaitBit, .tcp_info = true});
    snapshot.close_wait_ages =
        ProbeCloseWaitAges(close_wait_dump, snapshot, std::chrono::minutes(5));
  }
  return snapshot;
}

// A pileup raises "which process?": a targeted dump (in the calling
// thread's namespace) for the inodes of its sockets or listeners; the
// tracer's one walk of /proc/*/fd comes later. True if anything was added.
bool AddToTrace(PileupTracer& tracer, Snapshot& snapshot) {
  const std::uint32_t states = KernelStatesToTrace(snapshot.pileups);
  if (states == 0) return false;
  SockDiagSource trace_dump({.kernel_states = states});
  tracer.Add(trace_dump, snapshot, snapshot.pileups);
  return true;
}

// Every namespace in turn: this thread moves from one to the next, and
// each is dumped from inside, so the cost is one dump per namespace.
HostReport TakeHostReport(const ReportCommandOptions& options,
                          std::optional<PortRange> ephemeral_range) {
  HostReport report;
  CgroupFsPaths cgroup_paths;  // cgroup ids are host-wide: one cache
  PileupTracer tracer;         // so are socket inodes: one walk of /proc
  std::vector<Snapshot*> traced;
  const std::vector<NetworkNamespace> namespaces = ListNetworkNamespaces();
  // The tracer keeps pointers into the snapshots: no reallocation.
  report.namespaces.reserve(namespaces.size());
  const NamespaceSkips skips =
      VisitNetworkNamespaces(namespaces, [&](const NetworkNamespace& netns) {
        report.namespaces.push_back(
            {netns,
             TakeReportSnapshot(options, ephemeral_range, &cgroup_paths)});
        Snapshot& snapshot = report.namespaces.back().snapshot;
        if (AddToTrace(tracer, snapshot)) traced.push_back(&snapshot);
      });
  report.vanished = skips.vanished;
  report.denied = skips.denied;
  if (!traced.empty()) {
    const ProcessScanStats scan = tracer.Resolve();
    for (Snapshot* snapshot : traced) snapshot->process_scan = scan;
  }
  return report;
}

int Print(const std::string& out) {
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::perror("tcpstated: writing the report");
    return 1;
  }
  return 0;
}

}  // namespace

int RunReportCommand(const ReportCommandOptions& options) {
  try {
    std::optional<PortRange> ephemeral_range;
    if (!options.local_port_range.empty()) {
      ephemeral_range = ParsePortRange(options.local_port_range);
      if (!ephemeral_range) {
        std::cerr << "tcpstated: --local-port-range: expected \"LOW HIGH\" "
                     "with LOW <= HIGH <= 65535, got \""
                  << options.local_port_range << "\"\n";
        return 2;
      }
    }
    const TextReportOptions text{.top_ports_per_state = options.top};
    if (options.netns == kAllNamespaces) {
      if (!options.record_dump.empty()) {
        std::cerr << "tcpstated: --record-dump records one namespace; it "
                     "cannot be combined with --netns all\n";
        return 2;
      }
      const HostReport report = TakeHostReport(options, ephemeral_range);
      if (report.denied > 0) {
        std::cerr << "tcpstated: " << report.denied
                  << " network namespaces could not be entered; reading "
                     "them needs CAP_SYS_ADMIN\n";
      }
      return Print(options.format == "json" ? FormatJsonReport(report)
                                            : FormatTextReport(report, text));
    }
    if (!options.netns.empty()) EnterNetns(options.netns);
    // Cgroup ids in a recording belong to the host it was made on.
    std::optional<CgroupFsPaths> cgroup_paths;
    if (options.replay_dump.empty()) cgroup_paths.emplace();
    Snapshot snapshot = TakeReportSnapshot(
        options, ephemeral_range, cgroup_paths ? &*cgroup_paths : nullptr);
    if (options.replay_dump.empty()) {
      PileupTracer tracer;
      if (AddToTrace(tracer, snapshot)) {
        snapshot.process_scan = tracer.Resolve();
      }
    }
    return Print(options.format == "json" ? FormatJsonReport(snapshot)
                                          : FormatTextReport(snapshot, text));
  } catch (const CollectError& error) {
    std::cerr << "tcpstated: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace tcpstated
