#include <algorithm>
#include <cstdio>

#include "report_sections.h"
#include "tcpstated/report/report.h"
#include "text_table.h"

namespace tcpstated {
namespace {

std::string StateTotals(const Snapshot& snapshot) {
  const StateCounts totals = snapshot.Totals();
  const auto& v4 = snapshot.families[static_cast<std::size_t>(Family::kIpv4)];
  const auto& v6 = snapshot.families[static_cast<std::size_t>(Family::kIpv6)];
  TextTable table({"STATE", "TOTAL", "IPV4", "IPV6"});
  for (TcpState state : kAllTcpStates) {
    const std::size_t s = Index(state);
    table.AddRow({std::string(StateNetstatName(state)),
                  std::to_string(totals[s]), std::to_string(v4[s]),
                  std::to_string(v6[s])});
  }
  table.AddRow({"ALL", std::to_string(Total(totals)), std::to_string(Total(v4)),
                std::to_string(Total(v6))});
  return table.Render();
}

std::string BusiestPorts(const Snapshot& snapshot, std::size_t top) {
  TextTable table({"STATE", "DIRECTION", "PORT", "SOCKETS"});
  table.SetTextColumns(3);
  bool any = false;
  std::vector<const PortRow*> rows;
  for (TcpState state : kAllTcpStates) {
    const std::size_t s = Index(state);
    rows.clear();
    for (const PortRow& row : snapshot.ports) {
      if (row.states[s] > 0) rows.push_back(&row);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [s](const PortRow* a, const PortRow* b) {
                       return a->states[s] > b->states[s];
                     });
    if (rows.size() > top) rows.resize(top);
    bool first = true;
    for (const PortRow* row : rows) {
      table.AddRow({first ? std::string(StateNetstatName(state)) : "",
                    std::string(DirectionName(row->direction)),
                    PortLabel(row->port), std::to_string(row->states[s])});
      first = false;
      any = true;
    }
  }
  return any ? table.Render() : "(no sockets)\n";
}

std::string ListenQueues(const Snapshot& snapshot) {
  if (snapshot.listen_queues.empty()) return "(no listening sockets)\n";
  TextTable table({"PORT", "QUEUED", "LIMIT", "FULL"});
  for (const ListenQueue& queue : snapshot.listen_queues) {
    char full[16];
    // The kernel admits backlog + 1 connections before it drops SYNs
    // (sk_acceptq_is_full), so that is what 100% means.
    const double share = 100.0 * static_cast<double>(queue.length) /
                         static_cast<double>(queue.limit + 1);
    std::snprintf(full, sizeof full, "%.0f%%", share);
    table.AddRow({std::to_string(queue.port), std::to_string(queue.length),
                  std::to_string(queue.limit), full});
  }
  return table.Render();
}

std::string CloseWaitAges(const Snapshot& snapshot) {
  if (snapshot.close_wait_ages.empty()) return "";
  TextTable table({"DIRECTION", "PORT", "SOCKETS", "OLDEST", "OLDER THAN 5m"});
  table.SetTextColumns(1);
  for (const CloseWaitAge& a : snapshot.close_wait_ages) {
    table.AddRow({std::string(DirectionName(a.direction)),
                  std::to_string(a.port), std::to_string(a.sockets),
                  FormatDuration(a.oldest_seconds),
                  std::to_string(a.old_sockets)});
  }
  return "\nCLOSE_WAIT by age (since the peer closed)\n" + table.Render();
}

std::string RemoteEndpoints(const Snapshot& snapshot) {
  if (snapshot.remote_endpoints.empty()) return "(no client sockets)\n";
  const double range =
      snapshot.ephemeral_range.high - snapshot.ephemeral_range.low + 1.0;
  TextTable table({"ADDRESS", "PORT", "SOCKETS", "OF EPHEMERAL PORTS"});
  table.SetTextColumns(1);
  for (const RemoteEndpoint& e : snapshot.remote_endpoints) {
    char share[16];
    std::snprintf(share, sizeof share, "%.1f%%",
                  100.0 * static_cast<double>(e.sockets) / range);
    table.AddRow({e.AddressText(), std::to_string(e.port),
                  std::to_string(e.sockets), share});
  }
  return table.Render();
}

std::string Owners(const Snapshot& snapshot, std::size_t top) {
  const auto& owners = snapshot.owners.owners;
  if (owners.empty()) return "";
  TextTable table(
      {"UNIT (OR CGROUP)", "ESTABLISHED", "CLOSE_WAIT", "LISTEN", "ALL"});
  table.SetTextColumns(1);
  for (std::size_t i = 0; i < owners.size() && i < top; ++i) {
    const auto& o = owners[i];
    table.AddRow({o.owner,
                  std::to_string(o.states[Index(TcpState::kEstablished)]),
                  std::to_string(o.states[Index(TcpState::kCloseWait)]),
                  std::to_string(o.states[Index(TcpState::kListen)]),
                  std::to_string(Total(o.states))});
  }
  std::string out =
      "\nSockets by owner (full sockets; TIME_WAIT, SYN_RECV and orphans have "
      "none)\n" +
      table.Render();
  if (owners.size() > top) {
    out += std::to_string(owners.size() - top) + " more owners not shown.\n";
  }
  return out;
}

}  // namespace

std::string FormatTextReport(const Snapshot& snapshot,
                             const TextReportOptions& options) {
  // What needs action comes first.
  std::string out =
      FindingsText(snapshot) + "TCP sockets by state\n" + StateTotals(snapshot);
  out += "\nBusiest ports per state (top " +
         std::to_string(options.top_ports_per_state) + ")\n" +
         BusiestPorts(snapshot, options.top_ports_per_state);
  for (Direction direction : kAllDirections) {
    const auto folded =
        snapshot.ports_folded[static_cast<std::size_t>(direction)];
    if (folded > 0) {
      out += std::to_string(folded) + " " +
             std::string(DirectionName(direction)) +
             " ports beyond the cap are counted as \"other\".\n";
    }
  }
  out += CloseWaitAges(snapshot);
  out += Owners(snapshot, options.top_ports_per_state * 2);
  out += StallsText(snapshot);
  out += "\nListen queues\n" + ListenQueues(snapshot);
  out +=
      "\nBusiest destinations (client sockets, each holding an ephemeral "
      "port)\n" +
      RemoteEndpoints(snapshot);
  out += KernelText(snapshot);
  out += ChurnText(snapshot, options.top_ports_per_state * 2);
  char footer[96];
  std::snprintf(footer, sizeof footer, "\nCollected in %.3f s.\n",
                snapshot.collect_duration.count());
  return out + footer;
}

}  // namespace tcpstated
