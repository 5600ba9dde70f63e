#include "tcpstated/metrics/series_budget.h"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

#include "metric_families.h"
#include "snapshot_folding.h"

namespace tcpstated {
namespace {

using Snapshots = std::vector<PublishedSnapshot>;

// Counts series of views that differ from one only in their snapshots:
// the rest of the exposition (health, skips) is counted once.
class SeriesCounter {
 public:
  explicit SeriesCounter(const StoreView& view)
      : all_(view.health.all_namespaces) {
    StoreView without = view;
    without.snapshots.clear();
    fixed_ = SeriesIn(BuildMetricFamilies(without));
  }
  std::size_t fixed() const { return fixed_; }
  std::size_t Of(const Snapshot& s) const { return SeriesOf(s, all_); }
  std::size_t Of(const Snapshots& snapshots) const {
    std::size_t total = fixed_;
    for (const auto& p : snapshots) total += Of(*p.snapshot);
    return total;
  }

 private:
  bool all_;
  std::size_t fixed_ = 0;
};

bool IsOtherNamespace(const Snapshot& s) {
  return s.netns && s.netns->inode == 0 && s.netns->name == "other";
}

// Namespaces with findings first, then the busiest.
bool MoreWorthShowing(const PublishedSnapshot& a, const PublishedSnapshot& b) {
  const bool fa = !a.snapshot->findings.empty();
  const bool fb = !b.snapshot->findings.empty();
  if (fa != fb) return fa;
  return Total(a.snapshot->Totals()) > Total(b.snapshot->Totals());
}

// Keeps the most namespaces worth showing that fit with netns="other".
void FoldNamespaces(StoreView& view, const SeriesCounter& count) {
  Snapshots candidates;
  std::shared_ptr<const Snapshot> existing_other;
  for (const auto& p : view.snapshots) {
    if (!p.snapshot->netns) continue;  // never shown under --netns all
    if (IsOtherNamespace(*p.snapshot)) {
      existing_other = p.snapshot;
    } else {
      candidates.push_back(p);
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(), MoreWorthShowing);
  const std::size_t other_series = count.Of(*NewOtherNamespace());
  std::size_t keep = 0;
  std::size_t total = count.fixed() + other_series;
  while (keep < candidates.size()) {
    const std::size_t more = count.Of(*candidates[keep].snapshot);
    // The last one needs no "other" when there was none before.
    const bool last = keep + 1 == candidates.size() && !existing_other;
    if (total + more - (last ? other_series : 0) > view.max_series) break;
    total += more;
    ++keep;
  }
  if (keep == candidates.size()) return;
  auto other = existing_other ? std::make_shared<Snapshot>(*existing_other)
                              : NewOtherNamespace();
  for (std::size_t i = keep; i < candidates.size(); ++i) {
    SumNamespaceInto(*other, *candidates[i].snapshot);
  }
  view.health.namespaces_folded += candidates.size() - keep;
  candidates.resize(keep);
  candidates.push_back({std::move(other), false});
  view.snapshots = std::move(candidates);
}

// The snapshots with `fold(copy, cap)` applied to each.
template <typename Fold>
Snapshots Folded(const Snapshots& snapshots, Fold fold, std::size_t cap) {
  Snapshots out;
  for (const auto& p : snapshots) {
    auto copy = std::make_shared<Snapshot>(*p.snapshot);
    fold(*copy, cap);
    out.push_back({std::move(copy), p.stale});
  }
  return out;
}

// The largest cap in [0, most] under which the snapshots fit (0 when none
// does), found by bisection: fewer kept never means more series.
template <typename Fold, typename Most>
void ShrinkToFit(StoreView& view, const SeriesCounter& count, Fold fold,
                 Most most) {
  if (count.Of(view.snapshots) <= view.max_series) return;
  std::size_t high = 0;
  for (const auto& p : view.snapshots) high = std::max(high, most(*p.snapshot));
  std::size_t low = 0;  // high is known not to fit
  while (low + 1 < high) {
    const std::size_t mid = low + (high - low) / 2;
    if (count.Of(Folded(view.snapshots, fold, mid)) <= view.max_series) {
      low = mid;
    } else {
      high = mid;
    }
  }
  view.snapshots = Folded(view.snapshots, fold, low);
}

}  // namespace

StoreView FitSeriesBudget(StoreView view) {
  view.health.series_folded = 0;
  if (view.max_series == 0) return view;
  const SeriesCounter count(view);
  const std::size_t before = count.Of(view.snapshots);
  if (before <= view.max_series) return view;
  if (view.health.all_namespaces) FoldNamespaces(view, count);
  ShrinkToFit(view, count, FoldPorts, MostPorts);
  ShrinkToFit(
      view, count, [](Snapshot& s, std::size_t n) { FoldOwners(s.owners, n); },
      MostOwners);
  ShrinkToFit(view, count, KeepFindings, MostFindings);
  view.health.series_folded = before - count.Of(view.snapshots);
  return view;
}

}  // namespace tcpstated
