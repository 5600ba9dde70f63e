#include "json_writer.h"
#include "tcpstated/report.h"

namespace tcpstated {
namespace {

void WriteStates(JsonWriter& json, const StateCounts& counts) {
  json.BeginObject();
  for (TcpState state : kAllTcpStates) {
    json.Key(StateName(state));
    json.Number(counts[Index(state)]);
  }
  json.EndObject();
}

// The keys of one snapshot, inside an object the caller opened.
void WriteSnapshotKeys(JsonWriter& json, const Snapshot& snapshot) {
  json.Key("sockets");
  WriteStates(json, snapshot.Totals());

  json.Key("families");
  json.BeginObject();
  json.Key("ipv4");
  WriteStates(json, snapshot.families[static_cast<std::size_t>(Family::kIpv4)]);
  json.Key("ipv6");
  WriteStates(json, snapshot.families[static_cast<std::size_t>(Family::kIpv6)]);
  json.EndObject();

  json.Key("ports");
  json.BeginArray();
  for (const PortRow& row : snapshot.ports) {
    json.BeginObject();
    json.Key("direction");
    json.String(DirectionName(row.direction));
    json.Key("port");
    if (row.port) {
      json.Number(std::uint64_t{*row.port});
    } else {
      json.String("other");
    }
    json.Key("states");
    WriteStates(json, row.states);
    json.EndObject();
  }
  json.EndArray();

  json.Key("listen_queues");
  json.BeginArray();
  for (const ListenQueue& queue : snapshot.listen_queues) {
    json.BeginObject();
    json.Key("port");
    json.Number(std::uint64_t{queue.port});
    json.Key("length");
    json.Number(queue.length);
    json.Key("limit");
    json.Number(queue.limit);
    json.EndObject();
  }
  json.EndArray();

  json.Key("ports_folded");
  json.BeginObject();
  for (Direction direction : {Direction::kInbound, Direction::kOutbound}) {
    json.Key(DirectionName(direction));
    json.Number(snapshot.ports_folded[static_cast<std::size_t>(direction)]);
  }
  json.EndObject();

  json.Key("remote_endpoints");
  json.BeginArray();
  for (const RemoteEndpoint& e : snapshot.remote_endpoints) {
    json.BeginObject();
    json.Key("address");
    json.String(e.AddressText());
    json.Key("port");
    json.Number(std::uint64_t{e.port});
    json.Key("sockets");
    json.Number(e.sockets);
    json.EndObject();
  }
  json.EndArray();
  json.Key("ephemeral_port_pressure");
  json.Number(snapshot.EphemeralPortPressure());

  json.Key("close_wait_ages");
  json.BeginArray();
  for (const CloseWaitAge& a : snapshot.close_wait_ages) {
    json.BeginObject();
    json.Key("direction");
    json.String(DirectionName(a.direction));
    json.Key("port");
    json.Number(std::uint64_t{a.port});
    json.Key("sockets");
    json.Number(a.sockets);
    json.Key("oldest_seconds");
    json.Number(a.oldest_seconds);
    json.Key("older_than_5m");
    json.Number(a.old_sockets);
    json.EndObject();
  }
  json.EndArray();

  json.Key("units");
  json.BeginArray();
  for (const OwnerSockets& o : snapshot.owners.owners) {
    json.BeginObject();
    json.Key("unit");
    json.String(o.owner);
    json.Key("states");
    WriteStates(json, o.states);
    json.EndObject();
  }
  json.EndArray();

  json.Key("pileups");
  json.BeginArray();
  for (const Pileup& p : snapshot.pileups) {
    json.BeginObject();
    json.Key("state");
    json.String(StateName(p.state));
    json.Key("direction");
    json.String(DirectionName(p.direction));
    json.Key("port");
    if (p.port) {
      json.Number(std::uint64_t{*p.port});
    } else {
      json.String("other");
    }
    json.Key("sockets");
    json.Number(p.sockets);
    json.Key("share");
    json.Number(p.share);
    json.Key("diagnosis");
    json.String(Diagnose(p));
    json.Key("owners");
    json.BeginArray();
    if (p.port) {
      for (const PortOwner& o :
           snapshot.owners.OwnersOf({p.direction, *p.port}, p.state)) {
        json.BeginObject();
        json.Key("unit");
        json.String(o.owner);
        json.Key("sockets");
        json.Number(o.sockets);
        json.EndObject();
      }
    }
    json.EndArray();
    json.Key("processes");
    json.BeginArray();
    for (const ProcessSockets& holder : p.processes) {
      json.BeginObject();
      json.Key("pid");
      json.Number(static_cast<std::uint64_t>(holder.pid));
      json.Key("command");
      json.String(holder.command);
      json.Key("sockets");
      json.Number(holder.sockets);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();

  if (snapshot.process_scan) {
    const ProcessScanStats& scan = *snapshot.process_scan;
    json.Key("process_scan");
    json.BeginObject();
    json.Key("processes");
    json.Number(scan.processes);
    json.Key("unreadable");
    json.Number(scan.unreadable);
    json.Key("fds");
    json.Number(scan.fds);
    json.Key("complete");
    json.Bool(scan.complete);
    json.EndObject();
  }

  json.Key("collect_seconds");
  json.Number(snapshot.collect_duration.count());
}

}  // namespace

std::string FormatJsonReport(const Snapshot& snapshot) {
  JsonWriter json;
  json.BeginObject();
  WriteSnapshotKeys(json, snapshot);
  json.EndObject();
  return json.str() + "\n";
}

std::string FormatJsonReport(const HostReport& report) {
  JsonWriter json;
  json.BeginObject();
  json.Key("namespaces");
  json.BeginArray();
  for (const NamespaceReport& ns : report.namespaces) {
    json.BeginObject();
    json.Key("netns");
    json.String(ns.netns.Label());
    json.Key("inode");
    json.Number(ns.netns.inode);
    json.Key("container");
    json.String(ns.netns.container);
    WriteSnapshotKeys(json, ns.snapshot);
    json.EndObject();
  }
  json.EndArray();
  json.Key("skipped");
  json.BeginObject();
  json.Key("vanished");
  json.Number(report.vanished);
  json.Key("denied");
  json.Number(report.denied);
  json.EndObject();
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace tcpstated
