#include "tcpstated/detect/explain.h"

#include <algorithm>

#include "explain_text.h"
#include "tcpstated/detect/finding_text.h"

namespace tcpstated {

std::string PortsText(const Finding& f) {
  if (f.ports.empty()) return "its ports";
  return PortsPhrase(f.ports);
}

std::string MainHolder(const Finding& f) {
  if (f.evidence.processes.empty()) return "";
  const ProcessSockets& p = f.evidence.processes.front();
  return p.command + "[" + std::to_string(p.pid) + "]";
}

const ProcessSockets* HaltedHolder(const Finding& f) {
  for (const ProcessSockets& p : f.evidence.processes) {
    if (IsHalted(p.state)) return &p;
  }
  return nullptr;
}

HolderRole RoleOf(const Finding& f) {
  switch (f.kind) {
    case FindingKind::kPortExhaustion:
    case FindingKind::kSynSent:
      return HolderRole::kConnecting;
    case FindingKind::kCloseWait:
    case FindingKind::kFinWait2:
    case FindingKind::kUnread:
    case FindingKind::kPeerNotReading:
    case FindingKind::kUnacknowledged:
      return HolderRole::kHolding;
    default:
      return HolderRole::kListening;
  }
}

namespace {

// The units (or containers) behind the finding, from the dump's cgroups:
// a CLOSE_WAIT pileup's own sockets, else the port's listeners. Client
// sockets and stalls have none kept per port.
void AddOwners(Finding& f, const Snapshot& s) {
  f.owners.clear();
  const HolderRole role = RoleOf(f);
  if (f.direction != Direction::kInbound) return;
  if (role != HolderRole::kListening && f.kind != FindingKind::kCloseWait) {
    return;
  }
  const TcpState state = f.kind == FindingKind::kCloseWait
                             ? TcpState::kCloseWait
                             : TcpState::kListen;
  for (std::uint16_t port : f.ports) {
    for (const PortOwner& o : s.owners.OwnersOf({f.direction, port}, state)) {
      // The root cgroup says nothing of who (every process outside a unit
      // or container is there).
      if (o.owner == "/") continue;
      auto it =
          std::find_if(f.owners.begin(), f.owners.end(),
                       [&](const PortOwner& x) { return x.owner == o.owner; });
      if (it == f.owners.end()) {
        f.owners.push_back(o);
      } else {
        it->sockets += o.sockets;
      }
    }
  }
  std::stable_sort(f.owners.begin(), f.owners.end(),
                   [](const PortOwner& a, const PortOwner& b) {
                     return a.sockets > b.sockets;
                   });
}

}  // namespace

void Explain(Finding& f, const Snapshot& s) {
  if (f.evidence.role == HolderRole::kNone) f.evidence.role = RoleOf(f);
  AddOwners(f, s);
  switch (f.kind) {
    case FindingKind::kAcceptQueue:
    case FindingKind::kSynRecv:
    case FindingKind::kTimeWait:
    case FindingKind::kTimeWaitTable:
      ExplainServer(f, s);
      break;
    case FindingKind::kPortExhaustion:
    case FindingKind::kSynSent:
      ExplainClient(f, s);
      break;
    case FindingKind::kUnread:
    case FindingKind::kPeerNotReading:
    case FindingKind::kUnacknowledged:
      ExplainStall(f, s);
      break;
    default:
      ExplainClosing(f, s);
      break;
  }
  CiteChurn(f, s);
}

}  // namespace tcpstated
