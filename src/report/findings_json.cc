#include "report_sections.h"
#include "tcpstated/detect/explain.h"
#include "tcpstated/detect/finding_text.h"

namespace tcpstated {
namespace {

void WriteProcesses(JsonWriter& json, const Evidence& e) {
  json.Key("processes");
  json.BeginArray();
  for (const ProcessSockets& p : e.processes) {
    json.BeginObject();
    json.Field("pid", static_cast<std::uint64_t>(p.pid));
    json.Field("command", p.command);
    json.Field("sockets", p.sockets);
    json.Field("state", std::string_view(&p.state, 1));
    json.EndObject();
  }
  json.EndArray();
}

void WriteWho(JsonWriter& json, const Snapshot& snapshot, const Finding& f) {
  json.Key("who");
  json.BeginObject();
  json.Field("role", HolderRoleName(f.evidence.role));
  WriteProcesses(json, f.evidence);
  json.Key("units");
  json.BeginArray();
  for (const PortOwner& o : f.owners) {
    json.BeginObject();
    json.Field("unit", o.owner);
    WriteContainerOf(json, snapshot, o.owner);
    json.Field("sockets", o.sockets);
    json.EndObject();
  }
  json.EndArray();
  const std::string nobody = NobodyFound(f);
  if (!nobody.empty()) json.Field("none_found", nobody);
  json.EndObject();
}

void WriteFinding(JsonWriter& json, const Snapshot& snapshot,
                  const Finding& f) {
  json.BeginObject();
  json.Field("kind", FindingKindName(f.kind));
  json.Field("severity", SeverityName(f.severity));
  json.Field("title", Headline(f));
  json.Field("direction", DirectionName(f.direction));
  json.Key("ports");
  json.BeginArray();
  for (std::uint16_t port : f.ports) json.Number(std::uint64_t{port});
  json.EndArray();
  const std::string destination = DestinationText(f);
  if (!destination.empty()) json.Field("destination", destination);
  json.Field("sockets", f.sockets);
  json.Field("share", f.share);
  if (f.limit > 0) json.Field("limit", f.limit);
  if (f.bytes > 0) json.Field("bytes", f.bytes);
  if (f.rate) json.Field("per_second", *f.rate);
  json.Field("how_much", HowMuch(f, snapshot));
  if (f.churn) {
    json.Key("churn");
    json.BeginObject();
    WriteChurnRate(json, *f.churn);
    json.EndObject();
  }
  WriteWho(json, snapshot, f);
  json.Field("cause", f.cause);
  json.Field("why", f.why);
  json.Field("check", f.check);
  json.EndObject();
}

}  // namespace

void WriteFindings(JsonWriter& json, const Snapshot& snapshot) {
  json.Key("findings");
  json.BeginArray();
  for (Finding& f : GroupFindings(snapshot.findings)) {
    Explain(f, snapshot);
    WriteFinding(json, snapshot, f);
  }
  json.EndArray();
}

}  // namespace tcpstated
