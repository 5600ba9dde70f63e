#include "report_sections.h"

namespace tcpstated {

void WriteContainer(JsonWriter& json, const ContainerIdentity& c) {
  if (c.empty()) return;
  json.Key("container");
  json.BeginObject();
  const std::pair<const char*, const std::string*> fields[] = {
      {"runtime", &c.runtime}, {"id", &c.id},
      {"pod_uid", &c.pod_uid}, {"pod_namespace", &c.pod_namespace},
      {"pod", &c.pod},         {"name", &c.container},
      {"image", &c.image}};
  for (const auto& [key, value] : fields) {
    if (!value->empty()) json.Field(key, *value);
  }
  json.EndObject();
}

void WriteContainerOf(JsonWriter& json, const Snapshot& snapshot,
                      const std::string& owner) {
  for (const OwnerSockets& o : snapshot.owners.owners) {
    if (o.owner == owner) return WriteContainer(json, o.container);
  }
}

void WriteStalls(JsonWriter& json, const Snapshot& snapshot) {
  json.Key("stalled");
  json.BeginArray();
  for (const PortRow& row : snapshot.ports) {
    for (StallKind kind : kAllStallKinds) {
      const auto k = static_cast<std::size_t>(kind);
      if (row.stalls.sockets[k] == 0) continue;
      json.BeginObject();
      json.Field("kind", StallKindName(kind));
      json.Field("direction", DirectionName(row.direction));
      json.Key("port");
      if (row.port) {
        json.Number(std::uint64_t{*row.port});
      } else {
        json.String(PortLabel(row.port));
      }
      json.Field("sockets", row.stalls.sockets[k]);
      json.Field("bytes", row.stalls.bytes[k]);
      json.EndObject();
    }
  }
  json.EndArray();
}

void WriteKernel(JsonWriter& json, const Snapshot& s) {
  const bool rates = s.kernel_before && s.kernel_interval.count() > 0;
  json.Key("kernel");
  json.BeginObject();
  for (KernelCounter counter : kAllKernelCounters) {
    const auto value = Get(s.kernel, counter);
    if (!value) continue;  // this kernel does not say
    json.Key(KernelCounterName(counter));
    json.BeginObject();
    json.Field(IsGauge(counter) ? "now" : "total", *value);
    if (rates && !IsGauge(counter)) {
      const auto before = Get(*s.kernel_before, counter);
      if (before && *value >= *before) {
        json.Field("per_second", static_cast<double>(*value - *before) /
                                     s.kernel_interval.count());
      }
    }
    json.EndObject();
  }
  if (rates) json.Field("interval_seconds", s.kernel_interval.count());
  json.EndObject();
}

}  // namespace tcpstated
