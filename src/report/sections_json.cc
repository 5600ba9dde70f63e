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

void WriteChurnRate(JsonWriter& json, const ChurnRate& r) {
  json.Field("opens_per_second", r.opens);
  json.Key("closes_per_second");
  json.BeginObject();
  for (Closer closer : kAllClosers) {
    json.Field(CloserName(closer), r.closes[static_cast<std::size_t>(closer)]);
  }
  json.EndObject();
  json.Field("failed_connects_per_second", r.failed_connects);
  json.Key("resets_per_second");
  json.BeginObject();
  for (Side side : kAllSides) {
    json.Field(SideName(side), r.resets[static_cast<std::size_t>(side)]);
  }
  json.EndObject();
  json.Key("retransmits_per_second");
  json.BeginObject();
  for (Segment segment : kAllSegments) {
    json.Field(SegmentName(segment),
               r.retransmits[static_cast<std::size_t>(segment)]);
  }
  json.EndObject();
}

void WriteChurn(JsonWriter& json, const Snapshot& s) {
  if (!s.churn_enabled || !s.churn_before) return;
  json.Key("churn");
  json.BeginObject();
  json.Field("interval_seconds", s.churn_interval.count());
  json.Key("ports");
  json.BeginArray();
  for (const ChurnRate& r : s.ChurnRates()) {
    json.BeginObject();
    json.Field("direction", DirectionName(r.direction));
    json.Key("port");
    if (r.port) {
      json.Number(std::uint64_t{*r.port});
    } else {
      json.String(PortLabel(r.port));
    }
    WriteChurnRate(json, r);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

}  // namespace tcpstated
