#include "metric_families.h"

#include <iterator>
#include <string>

#include "churn_families.h"
#include "metric_builders.h"
#include "owner_families.h"
#include "snapshot_families.h"
#include "tcpstated/version.h"

namespace tcpstated {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// Every namespace's series in one set of families, each series labelled
// with its namespace: the families come in the same order from every
// snapshot, so they merge by position.
void AddNamespacedFamilies(const std::vector<PublishedSnapshot>& snapshots,
                           std::vector<MetricFamily>& out) {
  auto info = NewFamily(
      "tcpstate_netns_info",
      "Always 1, one series per watched network namespace: its netns label "
      "(name under /run/netns, else the namespace inode), its owner (\"host\", "
      "or the owner of its first process, named like unit in "
      "tcpstate_unit_sockets) and, for a container, runtime, container_id, "
      "k8s_namespace, k8s_pod and k8s_container (a pod's) or container_name "
      "(Docker, Podman), and image, where known.");
  auto success = NewFamily(
      "tcpstate_netns_collect_success",
      "1 if the namespace's last collection succeeded; 0 if it failed, and "
      "its series are those of the collection before (their "
      "tcpstate_snapshot_age_seconds keeps growing).");
  const std::size_t first = out.size();
  for (const auto& [snapshot, stale] : snapshots) {
    if (!snapshot->netns) continue;  // not from a sweep: cannot be labelled
    std::vector<MetricFamily> part;
    AddSnapshotFamilies(*snapshot, part);
    const std::string label = snapshot->netns->Label();
    Labels info_labels{{"netns", label}};
    if (!snapshot->netns->owner.display.empty()) {
      info_labels.push_back({"owner", snapshot->netns->owner.display});
    }
    for (auto& l : ContainerLabels(snapshot->netns->owner.container)) {
      info_labels.push_back(std::move(l));
    }
    AddGauge(info, std::move(info_labels), 1);
    AddGauge(success, {{"netns", label}}, stale ? 0 : 1);
    for (std::size_t i = 0; i < part.size(); ++i) {
      for (ClientMetric& metric : part[i].metric) {
        metric.label.insert(metric.label.begin(), {"netns", label});
      }
      if (out.size() == first + i) {
        out.push_back(std::move(part[i]));
      } else {
        auto& merged = out[first + i].metric;
        std::move(part[i].metric.begin(), part[i].metric.end(),
                  std::back_inserter(merged));
      }
    }
  }
  out.push_back(std::move(info));
  out.push_back(std::move(success));
}

void AddNamespaceSkips(const CollectionHealth& health,
                       std::vector<MetricFamily>& out) {
  auto skipped = NewFamily(
      "tcpstate_netns_skipped_total",
      "Network namespaces listed but not collected: vanished (gone before "
      "they were entered) or denied (setns refused: no CAP_SYS_ADMIN).",
      MetricType::Counter);
  AddCounter(skipped, {{"reason", "denied"}},
             static_cast<double>(health.namespaces_denied));
  AddCounter(skipped, {{"reason", "vanished"}},
             static_cast<double>(health.namespaces_vanished));
  out.push_back(std::move(skipped));
  AddSingle(out, "tcpstate_netns_empty",
            "Namespaces of the last sweep with no TCP socket at all "
            "(/proc/net/sockstat) and no churn counted: not dumped and "
            "without series of their own.",
            static_cast<double>(health.namespaces_empty));
  AddSingle(out, "tcpstate_netns_folded",
            "Namespaces of the last sweep summed into netns=\"other\": the "
            "quietest, beyond netns.max or collect.max-series.",
            static_cast<double>(health.namespaces_folded));
}

}  // namespace

std::vector<MetricFamily> BuildMetricFamilies(const StoreView& view) {
  const CollectionHealth& health = view.health;
  std::vector<MetricFamily> out;
  if (health.all_namespaces) {
    AddNamespacedFamilies(view.snapshots, out);
    AddNamespaceSkips(health, out);
  } else {
    for (const auto& published : view.snapshots) {
      AddSnapshotFamilies(*published.snapshot, out);
    }
  }

  AddSingle(out, "tcpstate_collect_success",
            "1 if the last collection succeeded, 0 if it failed "
            "(the previous snapshot stays published).",
            health.last_succeeded ? 1 : 0);

  AddSingle(out, "tcpstate_collect_duration_seconds",
            "Wall time of the last collection.", health.last_duration.count());

  AddSingle(out, "tcpstate_collections_total",
            "Collections attempted since the daemon started.",
            static_cast<double>(health.attempts), MetricType::Counter);

  auto errors = NewFamily("tcpstate_collect_errors_total",
                          "Failed collections by reason.", MetricType::Counter);
  for (CollectErrorReason reason : kAllCollectErrorReasons) {
    AddCounter(errors, {{"reason", std::string(ReasonName(reason))}},
               static_cast<double>(
                   health.errors_by_reason[static_cast<std::size_t>(reason)]));
  }
  out.push_back(std::move(errors));
  AddEventSourceFamilies(health, out);

  AddSingle(out, "tcpstate_series_folded",
            "Series this exposition leaves out to stay within "
            "collect.max-series: the quietest namespaces, then ports, then "
            "owners are summed into their \"other\" rows (totals per state "
            "stay exact).",
            static_cast<double>(health.series_folded));

  auto build = NewFamily(
      "tcpstate_build_info",
      "Always 1; version and revision (the git commit built) say which "
      "tcpstated runs.");
  AddGauge(build, {{"revision", kRevision}, {"version", kVersion}}, 1);
  out.push_back(std::move(build));
  return out;
}

std::size_t SeriesIn(const std::vector<MetricFamily>& families) {
  std::size_t series = 0;
  for (const MetricFamily& family : families) {
    if (family.type != MetricType::Histogram) {
      series += family.metric.size();
      continue;
    }
    for (const ClientMetric& m : family.metric) {
      series += m.histogram.bucket.size() + 2;  // _bucket, _sum, _count
    }
  }
  return series;
}

std::size_t SeriesOf(const Snapshot& snapshot, bool all_namespaces) {
  if (all_namespaces && !snapshot.netns) return 0;
  std::vector<MetricFamily> part;
  AddSnapshotFamilies(snapshot, part);
  return SeriesIn(part) + (all_namespaces ? 3 : 1);
}

}  // namespace tcpstated
