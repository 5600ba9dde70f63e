#pragma once

#include <chrono>
#include <string>

#include "tcpstated/collect/sweep.h"
#include "tcpstated/count/count_settings.h"
#include "tcpstated/detect/pileup_detector.h"
#include "tcpstated/diag/raw_dump_writer.h"
#include "tcpstated/diag/sock_diag_source.h"
#include "tcpstated/host/container_names.h"
#include "tcpstated/model/log.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// When the one-shot report ages CLOSE_WAIT sockets (a second dump of them
// with tcp_info): when a CLOSE_WAIT pileup makes the age the question.
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
  // One snapshot, no history: the thresholds apply without `for`.
  PileupRules rules = PileupRules::Defaults();
};

// The calling thread's namespace, its pileups flagged and traced to their
// processes; with `recorder`, its raw dump is written too (a failed
// collection leaves no partial file). Throws CollectError.
Snapshot CollectForReport(const ReportSettings& settings,
                          RawDumpWriter* recorder = nullptr);

// Every network namespace of the host, each collected from inside (one
// dump each) and the pileups of all of them traced in one walk of /proc.
// A namespace that fails is in the sweep with its error; the others still
// are. `log` hears what the sweep could not do (namespaces not entered).
Sweep CollectHostForReport(const ReportSettings& settings, LogFn log);

}  // namespace tcpstated
