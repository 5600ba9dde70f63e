#include "collection_loop.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <unordered_set>

#include "tcpstated/detect/diagnosis.h"
#include "tcpstated/detect/pileup_processes.h"
#include "tcpstated/host/network_namespaces.h"

namespace tcpstated {

CollectionLoop::CollectionLoop(SnapshotStore& store,
                               const SystemdNotifier& notifier,
                               CollectionSettings settings)
    : store_(store),
      notifier_(notifier),
      settings_(std::move(settings)),
      thread_([this] { Run(); }) {}

CollectionLoop::~CollectionLoop() { Stop(); }

void CollectionLoop::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CollectionLoop::Reconfigure(const CollectionSettings& settings) {
  {
    std::lock_guard lock(mutex_);
    if (settings.netns != settings_.netns) {
      spdlog::warn(
          "collect.netns changed from \"{}\" to \"{}\": takes effect "
          "after a restart",
          settings_.netns, settings.netns);
    }
    const std::string netns = settings_.netns;
    settings_ = settings;
    settings_.netns = netns;
  }
  wake_.notify_all();
}

void CollectionLoop::Run() {
  std::string netns;
  {
    std::lock_guard lock(mutex_);
    netns = settings_.netns;
  }
  const bool all = netns == kAllNamespaces;
  if (!netns.empty() && !all) {
    try {
      EnterNetns(netns);  // this thread only: scrapes stay where they are
    } catch (const CollectError& error) {
      spdlog::error("collection disabled: {}", error.what());
      store_.RecordFailure(error.reason(), {});
      return;
    }
  }

  auto next = std::chrono::steady_clock::now();
  for (;;) {
    CollectionSettings settings;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      settings = settings_;
    }
    if (all) {
      SweepAllNamespaces(settings);
    } else {
      CollectOnce(settings);
    }
    notifier_.WatchdogPing();

    next += settings.interval;
    const auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // a slow collection: no catch-up burst
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      const auto period = notifier_.WatchdogPeriod();
      const auto wake_at =
          period ? std::min(next, std::chrono::steady_clock::now() + *period)
                 : next;
      if (wake_.wait_until(lock, wake_at) == std::cv_status::timeout) {
        if (std::chrono::steady_clock::now() >= next) break;
        notifier_.WatchdogPing();
      } else if (settings_.interval != settings.interval) {
        next = std::chrono::steady_clock::now();  // reconfigured: start now
        break;
      }
    }
  }
}

void CollectionLoop::TraceToProcesses(const NamespaceCollector& collector,
                                      const Snapshot& snapshot,
                                      std::vector<Pileup>& started) {
  try {
    PileupTracer tracer;
    if (!collector.AddToTrace(tracer, snapshot, started)) return;
    const ProcessScanStats scan = tracer.Resolve();
    if (scan.unreadable > 0 && !warned_unreadable_) {
      spdlog::warn(
          "{} of {} processes could not be read while tracing a pileup to "
          "its processes; grant CAP_SYS_PTRACE (tcpstated(8), \"all "
          "namespaces\") to name them",
          scan.unreadable, scan.processes);
      warned_unreadable_ = true;
    }
  } catch (const CollectError& error) {
    spdlog::warn("cannot trace the pileup to processes: {}", error.what());
  }
}

namespace {

void LogPileupChanges(const PileupDetector::Changes& changes,
                      const Snapshot& snapshot, const std::string& where) {
  for (const Pileup& p : changes.started) {
    const std::string owners = p.port ? snapshot.owners.DescribeOwnersOf(
                                            {p.direction, *p.port}, p.state)
                                      : "";
    const std::string processes =
        p.processes.empty() ? "" : " by " + DescribeProcesses(p.processes);
    spdlog::warn("pileup: {} {} sockets {} port {}{} ({:.0f}% of all){}{}: {}",
                 p.sockets, StateNetstatName(p.state),
                 DirectionName(p.direction), PortLabel(p.port), where,
                 p.share * 100, owners.empty() ? "" : ", held by " + owners,
                 processes, Diagnose(p));
  }
  for (const Pileup& p : changes.cleared) {
    spdlog::info("pileup cleared: {} {} port {}{}", StateNetstatName(p.state),
                 DirectionName(p.direction), PortLabel(p.port), where);
  }
}

}  // namespace

std::shared_ptr<Snapshot> CollectionLoop::CollectNamespace(
    const CollectionSettings& settings, NamespaceState& state,
    const NetworkNamespace* netns) {
  const auto started = std::chrono::steady_clock::now();
  if (!state.collector || state.replay_dump != settings.replay_dump) {
    state.collector.emplace(
        SourceSettings{.replay_dump = settings.replay_dump});
    state.replay_dump = settings.replay_dump;
  }
  NamespaceCollector& collector = *state.collector;
  state.close_wait.SetOptions(settings.close_wait);
  state.close_wait.BeginCollection(started);
  // The last snapshot's listeners let a per-family or racing dump be
  // classified in one pass.
  auto snapshot = std::make_shared<Snapshot>(collector.Take(
      settings.counting, state.latest ? &state.latest->listening : nullptr,
      &state.close_wait, &cgroup_paths_));
  snapshot->close_wait_ages = state.close_wait.EndCollection();
  snapshot->close_wait_untracked = state.close_wait.untracked();
  if (netns != nullptr) snapshot->netns = *netns;
  const std::string where =
      netns != nullptr ? " in netns " + netns->Label() : "";
  if (snapshot->dump.interrupted) {
    spdlog::warn(
        "the kernel flagged the dump{} as interrupted (NLM_F_DUMP_INTR); "
        "counts may be off by the sockets that changed meanwhile",
        where);
  }
  state.detector.SetRules(settings.pileup_rules);
  auto changes = state.detector.Update(*snapshot);
  TraceToProcesses(collector, *snapshot, changes.started);
  LogPileupChanges(changes, *snapshot, where);
  snapshot->pileups = state.detector.Active();
  // The whole collection, sysctls and process tracing included.
  snapshot->collect_duration = std::chrono::steady_clock::now() - started;
  state.latest = snapshot;
  return snapshot;
}

void CollectionLoop::NoteSuccess() {
  if (failures_in_a_row_ > 0) {
    spdlog::info("collection succeeds again after {} failures",
                 failures_in_a_row_);
  }
  failures_in_a_row_ = 0;
  last_error_.clear();
}

void CollectionLoop::NoteFailure(const CollectError& error,
                                 const std::string& where) {
  ++failures_in_a_row_;
  const std::string message = error.what() + where;
  if (message != last_error_) {
    spdlog::error("collection failed ({}){}: {}", ReasonName(error.reason()),
                  where, error.what());
    last_error_ = message;
  }
}

void CollectionLoop::CollectOnce(const CollectionSettings& settings) {
  const auto started = std::chrono::steady_clock::now();
  cgroup_paths_.NewCollection();
  try {
    auto snapshot = CollectNamespace(settings, single_, nullptr);
    NoteSuccess();
    store_.Publish(std::move(snapshot));
  } catch (const CollectError& error) {
    NoteFailure(error, "");
    store_.RecordFailure(error.reason(),
                         std::chrono::steady_clock::now() - started);
  }
}

void CollectionLoop::SweepAllNamespaces(const CollectionSettings& settings) {
  const auto started = std::chrono::steady_clock::now();
  cgroup_paths_.NewCollection();
  Sweep sweep;
  std::unordered_set<std::uint64_t> collected;
  try {
    // This thread moves from namespace to namespace and stays in the last
    // one: nothing else it does depends on its namespace.
    const NamespaceSkips skips = VisitNetworkNamespaces(
        ListNetworkNamespaces(), [&](const NetworkNamespace& netns) {
          collected.insert(netns.inode);
          try {
            sweep.snapshots.push_back(
                CollectNamespace(settings, namespaces_[netns.inode], &netns));
          } catch (const CollectError& error) {
            NoteFailure(error, " in netns " + netns.Label());
            sweep.errors.push_back(error.reason());
          }
        });
    sweep.vanished = skips.vanished;
    sweep.denied = skips.denied;
  } catch (const CollectError& error) {
    NoteFailure(error, "");
    store_.RecordFailure(error.reason(),
                         std::chrono::steady_clock::now() - started);
    return;
  }
  if (sweep.denied > 0 && !warned_denied_) {
    spdlog::warn(
        "{} network namespaces could not be entered: watching every "
        "namespace needs CAP_SYS_ADMIN (see the drop-in in tcpstated(8)); "
        "they are counted in tcpstate_netns_skipped_total",
        sweep.denied);
    warned_denied_ = true;
  }
  // Trackers and detectors of namespaces that are gone go with them.
  std::erase_if(namespaces_, [&](const auto& entry) {
    return !collected.contains(entry.first);
  });
  if (sweep.errors.empty()) NoteSuccess();
  sweep.duration = std::chrono::steady_clock::now() - started;
  store_.PublishSweep(std::move(sweep));
}

}  // namespace tcpstated
