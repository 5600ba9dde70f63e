#pragma once

#include <chrono>
#include <string>

#include "tcpstated/collect/churn_rows.h"
#include "tcpstated/collect/sweep.h"
#include "tcpstated/count/close_wait_tracker.h"
#include "tcpstated/count/count_settings.h"
#include "tcpstated/detect/finding_rules.h"
#include "tcpstated/diag/raw_dump_writer.h"
#include "tcpstated/diag/sock_diag_source.h"
#include "tcpstated/events/churn_events.h"
#include "tcpstated/host/container_names.h"
#include "tcpstated/model/log.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// When the one-shot report ages CLOSE_WAIT sockets (a second dump of them
// with tcp_info): by default when a CLOSE_WAIT finding makes the age the
// question.
enum class CloseWaitAges { kAuto, kAlways, kNever };

// What `tcpstated report` is told about how to collect.
struct ReportSettings {
  CountSettings counting;
  RuntimeStateDirs runtime_dirs;
  std::string replay_dump;  // empty: the kernel
  DiagRequest request = DiagRequest::kLegacyOneWalk;
  CloseWaitAges close_wait_ages = CloseWaitAges::kAuto;
  // Kernel counters read twice this far apart, for rates; 0: totals.
  std::chrono::milliseconds interval{0};
  // One snapshot, no history: the rules apply without findings.for.
  FindingRules rules;
  // CLOSE_WAIT sockets older than this are counted as old.
  std::chrono::seconds leak_age = kDefaultLeakAge;
  // The event source, loaded before the interval began (collect.events =
  // bpf); used only with an interval: churn rates over it.
  ChurnEvents* events = nullptr;
  ChurnSettings churn;
};

// The calling thread's namespace, its findings judged, traced to their
// processes and explained; with `recorder`, its raw dump is written too (a
// failed collection leaves no partial file). Throws CollectError.
Snapshot CollectForReport(const ReportSettings& settings,
                          RawDumpWriter* recorder = nullptr);

// Every network namespace of the host, each collected from inside (one
// dump each) and the findings of all of them traced in one walk of /proc.
// A namespace that fails is in the sweep with its error; the others still
// are. `log` hears what the sweep could not do (namespaces not entered).
Sweep CollectHostForReport(const ReportSettings& settings, LogFn log);

}  // namespace tcpstated
