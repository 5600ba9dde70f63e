#pragma once

#include <vector>

#include "tcpstated/detect/finding_rules.h"
#include "tcpstated/model/finding.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// What every rule reads of a snapshot, worked out once.
struct JudgeContext {
  JudgeContext(const Snapshot& s, const FindingRules& r);
  double ShareOfAll(std::uint64_t n) const;
  Finding Make(FindingKind kind, Direction direction,
               std::optional<std::uint16_t> port, std::uint64_t sockets) const;

  const Snapshot& snapshot;
  const FindingRules& rules;
  std::uint64_t total = 0;
};

// Each appends the findings of one kind of rule.
void JudgeAcceptQueues(const JudgeContext& c, std::vector<Finding>& out);
void JudgePortExhaustion(const JudgeContext& c, std::vector<Finding>& out);
void JudgeTimeWaitTable(const JudgeContext& c, std::vector<Finding>& out);
void JudgePileups(const JudgeContext& c, const PortRow& row,
                  std::vector<Finding>& out);
void JudgeStalls(const JudgeContext& c, const PortRow& row,
                 std::vector<Finding>& out);

}  // namespace tcpstated
