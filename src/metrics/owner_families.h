#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "metric_builders.h"
#include "tcpstated/model/owners.h"

namespace tcpstated {

// The owners of full sockets: per owner and state, per port for listeners
// and CLOSE_WAIT sockets, and tcpstate_owner_info naming each owner's
// container.
void AddOwnerFamilies(const Attribution& attribution,
                      std::vector<prometheus::MetricFamily>& out);

// The labels that say which container an owner is, those known only:
// runtime, container_id, k8s_namespace, k8s_pod, k8s_container (a pod's
// container) or container_name (any other's), image.
// Not "namespace", "pod" or "container": Prometheus' Kubernetes discovery
// gives those to the scrape target (tcpstated's own pod), and a series'
// label of the same name would be renamed exported_* or, with
// honor_labels, overwrite the target's.
Labels ContainerLabels(const ContainerIdentity& container);

}  // namespace tcpstated
