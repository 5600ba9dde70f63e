#pragma once

#include <string>
#include <vector>

#include "json_writer.h"
#include "tcpstated/collect/sweep.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// Sections of the text report, each "" when it has nothing to say.
// The findings, most severe first, findings of one program on several
// ports as one entry; a line saying there are none.
std::string FindingsText(const Snapshot& snapshot);
// Stalled connections per port.
std::string StallsText(const Snapshot& snapshot);
// The kernel's counters: per second over the report's --interval, else
// totals since boot.
std::string KernelText(const Snapshot& snapshot);
// Churn per port over the --interval, the `top` busiest (collect.events =
// bpf); "" without it.
std::string ChurnText(const Snapshot& snapshot, std::size_t top);

// The collected namespaces of a sweep, those with findings first (the
// most severe first), then the others in the sweep's order.
std::vector<const NamespaceResult*> FindingsFirst(const Sweep& sweep);

// The same as JSON keys of the snapshot object.
void WriteFindings(JsonWriter& json, const Snapshot& snapshot);
void WriteStalls(JsonWriter& json, const Snapshot& snapshot);
void WriteKernel(JsonWriter& json, const Snapshot& snapshot);
void WriteChurn(JsonWriter& json, const Snapshot& snapshot);
// A churn rate's fields, inside an object the caller opened.
void WriteChurnRate(JsonWriter& json, const ChurnRate& rate);

// "container": {"runtime", "id", "pod_uid", "pod_namespace", "pod", "name",
// "image"} (the fields known) after an owner's "unit"; nothing when the
// owner is not a container.
void WriteContainer(JsonWriter& json, const ContainerIdentity& container);
// The same for an owner named in a pileup, found among the snapshot's
// owners by its display name.
void WriteContainerOf(JsonWriter& json, const Snapshot& snapshot,
                      const std::string& owner);

}  // namespace tcpstated
