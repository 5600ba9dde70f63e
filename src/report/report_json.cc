#include "json_writer.h"
#include "report_sections.h"
#include "tcpstated/report/report.h"

namespace tcpstated {
namespace {

void WriteStates(JsonWriter& json, const StateCounts& counts) {
  json.BeginObject();
  for (TcpState state : kAllTcpStates) {
    json.Field(StateName(state), counts[Index(state)]);
  }
  json.EndObject();
}

// A port number, or "other" for the row of folded ports.
void WritePort(JsonWriter& json, std::optional<std::uint16_t> port) {
  if (port) {
    json.Number(std::uint64_t{*port});
  } else {
    json.String(PortLabel(port));
  }
}

// Totals, families and classified ports.
void WriteCounts(JsonWriter& json, const Snapshot& snapshot) {
  json.Key("sockets");
  WriteStates(json, snapshot.Totals());

  json.Key("families");
  json.BeginObject();
  for (Family family : kAllFamilies) {
    json.Key(FamilyName(family));
    WriteStates(json, snapshot.families[static_cast<std::size_t>(family)]);
  }
  json.EndObject();

  json.Key("ports");
  json.BeginArray();
  for (const PortRow& row : snapshot.ports) {
    json.BeginObject();
    json.Field("direction", DirectionName(row.direction));
    json.Key("port");
    WritePort(json, row.port);
    json.Key("states");
    WriteStates(json, row.states);
    json.EndObject();
  }
  json.EndArray();
}

// Accept queues, and how many ports the cap folded.
void WriteListenQueues(JsonWriter& json, const Snapshot& snapshot) {
  json.Key("listen_queues");
  json.BeginArray();
  for (const ListenQueue& queue : snapshot.listen_queues) {
    json.BeginObject();
    json.Field("port", std::uint64_t{queue.port});
    json.Field("length", queue.length);
    json.Field("limit", queue.limit);
    json.EndObject();
  }
  json.EndArray();

  json.Key("ports_folded");
  json.BeginObject();
  for (Direction direction : kAllDirections) {
    json.Field(DirectionName(direction),
               snapshot.ports_folded[static_cast<std::size_t>(direction)]);
  }
  json.EndObject();
}

// Ephemeral ports held toward each destination.
void WritePressure(JsonWriter& json, const Snapshot& snapshot) {
  json.Key("remote_endpoints");
  json.BeginArray();
  for (const RemoteEndpoint& e : snapshot.remote_endpoints) {
    json.BeginObject();
    json.Field("address", e.AddressText());
    json.Field("port", std::uint64_t{e.port});
    json.Field("sockets", e.sockets);
    json.Field("time_wait", e.time_wait);
    json.Field("syn_sent", e.syn_sent);
    json.EndObject();
  }
  json.EndArray();
  json.Field("ephemeral_port_pressure", snapshot.EphemeralPortPressure());
}

void WriteCloseWaitAges(JsonWriter& json, const Snapshot& snapshot) {
  json.Key("close_wait_ages");
  json.BeginArray();
  for (const CloseWaitAge& a : snapshot.close_wait_ages) {
    json.BeginObject();
    json.Field("direction", DirectionName(a.direction));
    json.Field("port", std::uint64_t{a.port});
    json.Field("sockets", a.sockets);
    json.Field("oldest_seconds", a.oldest_seconds);
    json.Field("older_than_5m", a.old_sockets);
    json.EndObject();
  }
  json.EndArray();
}

void WriteOwners(JsonWriter& json, const Snapshot& snapshot) {
  json.Key("units");
  json.BeginArray();
  for (const OwnerSockets& o : snapshot.owners.owners) {
    json.BeginObject();
    json.Field("unit", o.owner);
    WriteContainer(json, o.container);
    json.Key("states");
    WriteStates(json, o.states);
    json.EndObject();
  }
  json.EndArray();
}

// The keys of one snapshot, inside an object the caller opened.
void WriteSnapshotKeys(JsonWriter& json, const Snapshot& snapshot) {
  WriteFindings(json, snapshot);  // what needs action comes first
  WriteCounts(json, snapshot);
  WriteListenQueues(json, snapshot);
  WritePressure(json, snapshot);
  WriteCloseWaitAges(json, snapshot);
  WriteOwners(json, snapshot);
  WriteStalls(json, snapshot);
  WriteKernel(json, snapshot);
  WriteChurn(json, snapshot);
  json.Field("collect_seconds", snapshot.collect_duration.count());
}

}  // namespace

std::string FormatJsonReport(const Snapshot& snapshot) {
  JsonWriter json;
  json.BeginObject();
  WriteSnapshotKeys(json, snapshot);
  json.EndObject();
  return json.str() + "\n";
}

std::string FormatJsonReport(const Sweep& sweep) {
  JsonWriter json;
  json.BeginObject();
  json.Key("namespaces");
  json.BeginArray();
  // Those with findings first, as the text has them.
  for (const NamespaceResult* ns : FindingsFirst(sweep)) {
    json.BeginObject();
    json.Field("netns", ns->netns.Label());
    json.Field("inode", ns->netns.inode);
    json.Field("owner", ns->netns.owner.display);
    WriteContainer(json, ns->netns.owner.container);
    WriteSnapshotKeys(json, *ns->snapshot);
    json.EndObject();
  }
  json.EndArray();
  json.Key("failed");
  json.BeginArray();
  for (const NamespaceResult& failure : sweep.results) {
    if (failure.snapshot) continue;
    json.BeginObject();
    json.Field("netns", failure.netns.Label());
    json.Field("inode", failure.netns.inode);
    json.Field("error", failure.message);
    json.EndObject();
  }
  json.EndArray();
  json.Key("skipped");
  json.BeginObject();
  json.Field("vanished", sweep.vanished);
  json.Field("denied", sweep.denied);
  json.EndObject();
  // Collected, but with no TCP socket: not listed one by one.
  json.Field("empty_namespaces", sweep.empty);
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace tcpstated
