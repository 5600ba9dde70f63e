#include "tcpstated/collect/namespace_watcher.h"

#include "tcpstated/collect/finding_log.h"
#include "tcpstated/detect/explain.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {

std::shared_ptr<const Snapshot> NamespaceWatcher::Collect(
    const WatchSettings& settings, const NetworkNamespace* netns,
    OwnerLookup owners, const std::stop_token& stop,
    const ChurnReading* churn) {
  const auto started = std::chrono::steady_clock::now();
  if (!collector_ || replay_dump_ != settings.replay_dump) {
    const SourceSettings source{.replay_dump = settings.replay_dump};
    if (make_source_) {
      collector_.emplace(make_source_(source), settings.replay_dump.empty());
    } else {
      collector_.emplace(source);
    }
    replay_dump_ = settings.replay_dump;
  }
  close_wait_.SetOptions(settings.close_wait);
  close_wait_.BeginCollection(started);
  // The last snapshot's listeners let a per-family or racing dump be
  // classified in one pass.
  CountSettings counting = settings.counting;
  counting.candidate_min_sockets = settings.rules.SmallestMinSockets();
  auto snapshot = std::make_shared<Snapshot>(
      collector_->Take(counting, latest_ ? &latest_->listening : nullptr,
                       &close_wait_, &owners));
  snapshot->close_wait_ages = close_wait_.EndCollection();
  snapshot->close_wait_untracked = close_wait_.untracked();
  if (latest_) {  // rates of the kernel's counters since the last one
    snapshot->kernel_before = latest_->kernel;
    snapshot->kernel_interval = snapshot->taken_at - latest_->taken_at;
  }
  if (netns != nullptr) snapshot->netns = *netns;
  if (churn != nullptr) {
    AttachChurn(*snapshot, *churn, settings.churn);
    if (latest_ && latest_->churn_enabled) {
      snapshot->churn_before = latest_->churn;
      snapshot->churn_interval = snapshot->taken_at - latest_->taken_at;
    }
  }
  const std::string where =
      netns != nullptr ? " in netns " + netns->Label() : "";
  if (snapshot->dump.interrupted) {
    log_(LogLevel::kWarn,
         "the kernel flagged the dump" + where +
             " as interrupted (NLM_F_DUMP_INTR); counts may be off by the "
             "sockets that changed meanwhile");
  }
  detector_.SetRules(settings.rules);
  std::vector<Finding> findings = detector_.Update(*snapshot, started);
  std::vector<Finding*> untraced;
  for (Finding& f : findings) {
    if (detector_.NeedsEvidence(f)) untraced.push_back(&f);
  }
  if (!untraced.empty()) Trace(*snapshot, untraced, stop);
  for (Finding* f : untraced) {
    if (f->evidence.traced) detector_.Attach(*f, f->evidence);
  }
  for (Finding& f : findings) Explain(f, *snapshot);
  snapshot->findings = std::move(findings);
  const std::vector<Finding> none;
  for (const LogLine& line :
       FindingChangeLines(latest_ ? latest_->findings : none,
                          snapshot->findings, *snapshot, where)) {
    log_(line.level, line.text);
  }
  // The whole collection, sysctls and process tracing included.
  snapshot->collect_duration = std::chrono::steady_clock::now() - started;
  latest_ = snapshot;
  return snapshot;
}

void NamespaceWatcher::Trace(const Snapshot& snapshot,
                             const std::vector<Finding*>& findings,
                             const std::stop_token& stop) {
  try {
    FindingTracer tracer;
    if (!collector_->AddToTrace(tracer, snapshot, findings)) return;
    const ProcessScanStats scan = tracer.Resolve("/proc", {.stop = stop});
    if (scan.unreadable > 0 && !warned_unreadable_) {
      log_(LogLevel::kWarn,
           std::to_string(scan.unreadable) + " of " +
               std::to_string(scan.processes) +
               " processes could not be read while tracing a finding to "
               "its processes; grant CAP_SYS_PTRACE (tcpstated(8), \"all "
               "namespaces\") to name them");
      warned_unreadable_ = true;
    }
  } catch (const CollectError& error) {
    log_(LogLevel::kWarn,
         std::string("cannot trace a finding to its processes: ") +
             error.what());
  }
}

}  // namespace tcpstated
