#include <algorithm>
#include <memory>

#include "tcpstated/collect/sweep.h"

namespace tcpstated {

std::shared_ptr<Snapshot> NewOtherNamespace() {
  auto other = std::make_shared<Snapshot>();
  other->netns = NetworkNamespace{0, "other", "", {}};
  return other;
}

void SumNamespaceInto(Snapshot& other, const Snapshot& folded) {
  for (std::size_t f = 0; f < folded.families.size(); ++f) {
    AddTo(other.families[f], folded.families[f]);
  }
  other.taken_at = std::max(other.taken_at, folded.taken_at);
  // Churn too, as one "other" row per direction: fleet totals stay whole.
  if (!folded.churn_enabled) return;
  other.churn_enabled = true;
  other.churn.insert(other.churn.end(), folded.churn.begin(),
                     folded.churn.end());
  FoldChurnRows(other.churn, 0);
}

void FoldQuietNamespaces(Sweep& sweep, std::size_t max_namespaces) {
  auto& results = sweep.results;
  const auto collected = [](const NamespaceResult& r) {
    return r.snapshot != nullptr;
  };
  const auto count = static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), collected));
  if (count <= max_namespaces) return;
  // Collected ones first, busiest first; failed ones after, in order.
  std::stable_sort(results.begin(), results.end(),
                   [](const NamespaceResult& a, const NamespaceResult& b) {
                     if (!a.snapshot || !b.snapshot) {
                       return a.snapshot != nullptr && b.snapshot == nullptr;
                     }
                     return Total(a.snapshot->Totals()) >
                            Total(b.snapshot->Totals());
                   });
  auto other = NewOtherNamespace();
  const auto first_folded =
      results.begin() + static_cast<std::ptrdiff_t>(max_namespaces);
  const auto end_folded = results.begin() + static_cast<std::ptrdiff_t>(count);
  for (auto it = first_folded; it != end_folded; ++it) {
    SumNamespaceInto(*other, *it->snapshot);
  }
  sweep.folded = count - max_namespaces;
  results.erase(first_folded, end_folded);
  results.insert(results.begin() + static_cast<std::ptrdiff_t>(max_namespaces),
                 NamespaceResult{other->netns.value(), std::move(other),
                                 std::nullopt, ""});
}

}  // namespace tcpstated
