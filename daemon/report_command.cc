#include "report_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "count_options.h"
#include "tcpstated/count/close_wait_probe.h"
#include "tcpstated/detect/pileup_detector.h"
#include "tcpstated/diag/kernel_states.h"
#include "tcpstated/host/kernel_counters.h"
#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/host/sysctls.h"
#include "tcpstated/io/files.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/report/report.h"

namespace tcpstated {

namespace {

SourceSettings SourceFrom(const ReportCommandOptions& options,
                          RawDumpWriter* recorder) {
  return {.replay_dump = options.replay_dump,
          .request = options.request == "per-family"
                         ? DiagRequest::kPerFamily
                         : DiagRequest::kLegacyOneWalk,
          .recorder = recorder};
}

// No history to age CLOSE_WAIT sockets by: ask the kernel, with a second
// dump of just those sockets (tcp_info is too dear for all). It costs a
// second walk of the kernel's tables: only when asked for, or when a
// CLOSE_WAIT pileup makes the age the operator's question.
void AgeCloseWaits(const ReportCommandOptions& options, Snapshot& snapshot) {
  const bool pileup = std::any_of(
      snapshot.pileups.begin(), snapshot.pileups.end(),
      [](const Pileup& p) { return p.state == TcpState::kCloseWait; });
  const bool wanted = options.close_wait_ages == "always" ||
                      (options.close_wait_ages == "auto" && pileup);
  if (!wanted || snapshot.Totals()[Index(TcpState::kCloseWait)] == 0) return;
  SockDiagSource close_wait_dump(
      {.kernel_states = KernelStateBits(TcpState::kCloseWait),
       .tcp_info = true});
  snapshot.close_wait_ages =
      ProbeCloseWaitAges(close_wait_dump, snapshot, kDefaultLeakAge);
}

// A first reading of a namespace's kernel counters, for --interval.
struct KernelReading {
  KernelCounters counters;
  std::chrono::steady_clock::time_point at;
};

KernelReading ReadNow() {
  return {ReadKernelCounters(), std::chrono::steady_clock::now()};
}

// The second reading, --interval after the first: rates.
void ReadAgain(const ReportCommandOptions& options, const KernelReading& first,
               Snapshot& snapshot) {
  std::this_thread::sleep_until(first.at + options.interval);
  snapshot.kernel = ReadKernelCounters();
  snapshot.kernel_before = first.counters;
  snapshot.kernel_interval = std::chrono::steady_clock::now() - first.at;
}

// One namespace's report: collect the calling thread's namespace, flag
// pileups, and age them where that answers the operator's next question.
// `owners` is null on replay; `first`, the earlier kernel reading
// when rates are asked for.
Snapshot TakeReportSnapshot(const ReportCommandOptions& options,
                            const CountSettings& counting,
                            NamespaceCollector& collector,
                            const OwnerLookup* owners,
                            const KernelReading* first) {
  Snapshot snapshot = collector.Take(counting, nullptr, nullptr, owners);
  if (first != nullptr && collector.live())
    ReadAgain(options, *first, snapshot);
  // One snapshot, no history: the pileup thresholds apply without `for`.
  PileupDetector detector(PileupRules::Defaults().WithoutSustain());
  detector.Update(snapshot);
  snapshot.pileups = detector.Active();
  if (collector.live()) AgeCloseWaits(options, snapshot);
  return snapshot;
}

// Every namespace in turn: this thread moves from one to the next, and
// each is dumped from inside, so the cost is one dump per namespace. One
// that fails is reported as failed; the others still are.
HostReport TakeHostReport(const ReportCommandOptions& options,
                          const CountSettings& counting) {
  HostReport report;
  CgroupFsPaths cgroup_paths;  // cgroup ids are host-wide: one cache
  ContainerNames containers(counting.runtime_dirs);
  const OwnerLookup owners{cgroup_paths, containers};
  PileupTracer tracer;  // so are socket inodes: one walk of /proc
  std::vector<Snapshot*> traced;
  const std::vector<NetworkNamespace> namespaces =
      ListNetworkNamespaces("/run/netns", "/proc", &containers);
  // The tracer keeps pointers into the snapshots: no reallocation.
  report.namespaces.reserve(namespaces.size());
  // With --interval, a first pass reads every namespace's counters: the
  // report then waits out the interval once, not once per namespace.
  std::map<std::uint64_t, KernelReading> first;
  if (options.interval.count() > 0 && options.replay_dump.empty()) {
    VisitNetworkNamespaces(namespaces, [&](const NetworkNamespace& netns) {
      first[netns.inode] = ReadNow();
    });
  }
  const NamespaceSkips skips = VisitNetworkNamespaces(
      namespaces,
      [&](const NetworkNamespace& netns) {
        NamespaceCollector collector(SourceFrom(options, nullptr));
        try {
          const auto reading = first.find(netns.inode);
          report.namespaces.push_back(
              {netns,
               TakeReportSnapshot(
                   options, counting, collector, &owners,
                   reading == first.end() ? nullptr : &reading->second)});
        } catch (const CollectError& error) {
          report.failed.push_back({netns, error.what()});
          return;
        }
        Snapshot& snapshot = report.namespaces.back().snapshot;
        try {
          if (collector.AddToTrace(tracer, snapshot, snapshot.pileups)) {
            traced.push_back(&snapshot);
          }
        } catch (const CollectError& error) {
          std::cerr << "tcpstated: netns " << netns.Label()
                    << ": cannot trace pileups to processes: " << error.what()
                    << "\n";
        }
      },
      {}, EmptyNamespaces::kSkip);  // one sockstat read, not a dump
  report.vanished = skips.vanished;
  report.denied = skips.denied;
  report.empty = skips.empty;
  if (!traced.empty()) {
    const ProcessScanStats scan = tracer.Resolve();
    for (Snapshot* snapshot : traced) snapshot->process_scan = scan;
  }
  return report;
}

// The calling thread's namespace; with --record-dump, its raw dump too (a
// failed collection leaves no partial file behind).
Snapshot TakeOneReport(const ReportCommandOptions& options,
                       const CountSettings& counting,
                       std::optional<RawDumpWriter>& recorder) {
  try {
    NamespaceCollector collector(
        SourceFrom(options, recorder ? &*recorder : nullptr));
    CgroupFsPaths cgroup_paths;
    ContainerNames containers(counting.runtime_dirs);
    const OwnerLookup owners{cgroup_paths, containers};
    std::optional<KernelReading> first;
    if (collector.live() && options.interval.count() > 0) first = ReadNow();
    Snapshot snapshot = TakeReportSnapshot(options, counting, collector,
                                           collector.live() ? &owners : nullptr,
                                           first ? &*first : nullptr);
    if (recorder) recorder->Close();
    PileupTracer tracer;
    if (collector.AddToTrace(tracer, snapshot, snapshot.pileups)) {
      snapshot.process_scan = tracer.Resolve();
    }
    return snapshot;
  } catch (const CollectError&) {
    if (recorder) recorder->Abandon();
    throw;
  }
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

// Usage errors in the file arguments, before any work: one line, exit 2.
std::optional<std::string> CheckFileArguments(
    const ReportCommandOptions& options) {
  if (!options.replay_dump.empty()) {
    try {
      OpenRegularFile(options.replay_dump);
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
  return std::nullopt;
}

}  // namespace

int RunReportCommand(const ReportCommandOptions& options) {
  if (const auto problem = CheckFileArguments(options)) {
    std::cerr << "tcpstated: " << *problem << "\n";
    return 2;
  }
  try {
    CountSettings counting = options.counting;
    if (!options.local_port_range.empty()) {
      counting.ephemeral_range = ParsePortRange(options.local_port_range);
      if (!counting.ephemeral_range) {
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
      const HostReport report = TakeHostReport(options, counting);
      if (report.denied > 0) {
        std::cerr << "tcpstated: " << report.denied
                  << " network namespaces could not be entered; reading "
                     "them needs CAP_SYS_ADMIN\n";
      }
      const int printed =
          Print(options.format == "json" ? FormatJsonReport(report)
                                         : FormatTextReport(report, text));
      if (!report.failed.empty()) {
        std::cerr << "tcpstated: " << report.failed.size()
                  << " network namespaces could not be collected (see the "
                     "report)\n";
        return 1;
      }
      return printed;
    }
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
    const Snapshot snapshot = TakeOneReport(options, counting, recorder);
    return Print(options.format == "json" ? FormatJsonReport(snapshot)
                                          : FormatTextReport(snapshot, text));
  } catch (const CollectError& error) {
    std::cerr << "tcpstated: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace tcpstated
