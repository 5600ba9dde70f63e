#include "tcpstated/collect/report_collection.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "tcpstated/collect/host_sweep.h"
#include "tcpstated/collect/namespace_collector.h"
#include "tcpstated/count/close_wait_probe.h"
#include "tcpstated/detect/explain.h"
#include "tcpstated/detect/judge.h"
#include "tcpstated/diag/kernel_states.h"
#include "tcpstated/host/kernel_counters.h"
#include "tcpstated/host/network_namespaces.h"

namespace tcpstated {
namespace {

// No history to age CLOSE_WAIT sockets by: ask the kernel, with a second
// dump of just those sockets (tcp_info is too dear for all). It costs a
// second walk of the kernel's tables: only when asked for, or when a
// CLOSE_WAIT finding makes the age the operator's question.
void AgeCloseWaits(const ReportSettings& settings, Snapshot& snapshot) {
  const bool pileup = std::any_of(
      snapshot.findings.begin(), snapshot.findings.end(),
      [](const Finding& f) { return f.kind == FindingKind::kCloseWait; });
  const bool wanted =
      settings.close_wait_ages == CloseWaitAges::kAlways ||
      (settings.close_wait_ages == CloseWaitAges::kAuto && pileup);
  if (!wanted || snapshot.Totals()[Index(TcpState::kCloseWait)] == 0) return;
  SockDiagSource close_wait_dump(
      {.kernel_states = KernelStateBits(TcpState::kCloseWait),
       .tcp_info = true});
  snapshot.close_wait_ages =
      ProbeCloseWaitAges(close_wait_dump, snapshot, settings.leak_age);
}

// A first reading of a namespace's kernel counters, for the interval.
struct KernelReading {
  KernelCounters counters;
  std::chrono::steady_clock::time_point at;
};

KernelReading ReadNow() {
  return {ReadKernelCounters(), std::chrono::steady_clock::now()};
}

// The second reading, the interval after the first: rates.
void ReadAgain(const KernelReading& first, Snapshot& snapshot) {
  snapshot.kernel = ReadKernelCounters();
  snapshot.kernel_before = first.counters;
  snapshot.kernel_interval = std::chrono::steady_clock::now() - first.at;
}

std::optional<TimedChurnReading> ReadChurnStart(
    const ReportSettings& settings) {
  if (settings.events == nullptr || settings.interval.count() <= 0 ||
      !settings.replay_dump.empty()) {
    return std::nullopt;
  }
  return ReadChurnNow(*settings.events);
}

SourceSettings SourceFrom(const ReportSettings& settings,
                          RawDumpWriter* recorder) {
  return {.replay_dump = settings.replay_dump,
          .request = settings.request,
          .recorder = recorder};
}

// One namespace: collect the calling thread's namespace, judge its
// findings, and age CLOSE_WAIT sockets where that answers the operator's
// next question. `owners` is
// null on replay; `first`, the earlier kernel reading when rates are
// asked for; `churn_end`, the event source's reading at the end of the
// interval that began with `churn` (null: read it now).
Snapshot TakeSnapshot(const ReportSettings& settings,
                      NamespaceCollector& collector, const OwnerLookup* owners,
                      const KernelReading* first,
                      const std::optional<TimedChurnReading>& churn,
                      const NetworkNamespace* netns = nullptr,
                      const TimedChurnReading* churn_end = nullptr) {
  CountSettings counting = settings.counting;
  counting.candidate_min_sockets = settings.rules.SmallestMinSockets();
  // The dump at the end of the interval, beside the second reading: the
  // sockets as they are when the counters say what the interval did (a
  // queue that overflowed meanwhile is full now, not before it filled).
  const bool rates = first != nullptr && collector.live();
  if (rates) std::this_thread::sleep_until(first->at + settings.interval);
  Snapshot snapshot = collector.Take(counting, nullptr, nullptr, owners);
  if (rates) ReadAgain(*first, snapshot);
  if (netns != nullptr) snapshot.netns = *netns;
  if (rates && churn) {
    std::optional<TimedChurnReading> now;
    if (churn_end == nullptr) now = ReadChurnNow(*settings.events);
    AttachChurnRates(snapshot, *churn, churn_end ? *churn_end : *now,
                     settings.churn);
  }
  snapshot.findings = Judge(snapshot, settings.rules);
  if (collector.live()) AgeCloseWaits(settings, snapshot);
  return snapshot;
}

std::vector<Finding*> Pointers(std::vector<Finding>& findings) {
  std::vector<Finding*> out;
  for (Finding& f : findings) out.push_back(&f);
  return out;
}

void ExplainAll(Snapshot& snapshot) {
  for (Finding& f : snapshot.findings) Explain(f, snapshot);
  Rank(snapshot.findings);
}

}  // namespace

Snapshot CollectForReport(const ReportSettings& settings,
                          RawDumpWriter* recorder) {
  try {
    NamespaceCollector collector(SourceFrom(settings, recorder));
    CgroupFsPaths cgroup_paths;
    ContainerNames containers(settings.runtime_dirs);
    const OwnerLookup owners{cgroup_paths, containers};
    std::optional<KernelReading> first;
    if (settings.events != nullptr && collector.live()) {
      NoteCurrentListeners(*settings.events);
    }
    const auto churn = ReadChurnStart(settings);
    if (collector.live() && settings.interval.count() > 0) first = ReadNow();
    Snapshot snapshot =
        TakeSnapshot(settings, collector, collector.live() ? &owners : nullptr,
                     first ? &*first : nullptr, churn);
    if (recorder != nullptr) recorder->Close();
    FindingTracer tracer;
    if (collector.AddToTrace(tracer, snapshot, Pointers(snapshot.findings))) {
      tracer.Resolve();
    }
    ExplainAll(snapshot);
    return snapshot;
  } catch (const CollectError&) {
    if (recorder != nullptr) recorder->Abandon();
    throw;
  }
}

Sweep CollectHostForReport(const ReportSettings& settings, LogFn log) {
  CgroupFsPaths cgroup_paths;  // cgroup ids are host-wide: one cache
  ContainerNames containers(settings.runtime_dirs);
  const OwnerLookup owners{cgroup_paths, containers};
  FindingTracer tracer;  // so are socket inodes: one walk of /proc
  std::vector<std::shared_ptr<Snapshot>> collected;
  HostSweep sweep(log);
  const std::vector<NetworkNamespace> namespaces = HostSweep::List(containers);
  // With an interval, a first pass reads every namespace's counters: the
  // report then waits out the interval once, not once per namespace.
  std::map<std::uint64_t, KernelReading> first;
  if (settings.interval.count() > 0 && settings.replay_dump.empty()) {
    VisitNetworkNamespaces(namespaces, [&](const NetworkNamespace& netns) {
      if (settings.events != nullptr) NoteCurrentListeners(*settings.events);
      first[netns.inode] = ReadNow();
    });
  }
  const auto churn = ReadChurnStart(settings);
  // The interval's churn is read once, at its end, for every namespace;
  // those it counts in are collected even with no socket left.
  std::optional<TimedChurnReading> churn_end;
  if (churn) {
    std::this_thread::sleep_until(churn->at + settings.interval);
    churn_end = ReadChurnNow(*settings.events);
  }
  const auto visit = [&](const NetworkNamespace& netns) {
    NamespaceCollector collector(SourceFrom(settings, nullptr));
    const auto reading = first.find(netns.inode);
    auto snapshot = std::make_shared<Snapshot>(
        TakeSnapshot(settings, collector, &owners,
                     reading == first.end() ? nullptr : &reading->second, churn,
                     &netns, churn_end ? &*churn_end : nullptr));
    // The tracer keeps pointers into the findings: the snapshot stays put.
    try {
      collector.AddToTrace(tracer, *snapshot, Pointers(snapshot->findings));
    } catch (const CollectError& error) {
      log(LogLevel::kWarn,
          "netns " + netns.Label() +
              ": cannot trace findings to processes: " + error.what());
    }
    collected.push_back(snapshot);
    return snapshot;
  };
  Sweep result = sweep.Run(
      namespaces, visit, {},
      churn_end ? NamespacesWithChurn(churn_end->reading) : NetnsInodes{});
  tracer.Resolve();
  for (const auto& snapshot : collected) ExplainAll(*snapshot);
  return result;
}

}  // namespace tcpstated
