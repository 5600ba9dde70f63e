#pragma once

#include "tcpstated/metrics/snapshot_store.h"

namespace tcpstated {

// The view as an exposition of at most view.max_series series can show
// it (all of it when it fits, or when max_series is 0). Beyond the budget,
// in this order: the quietest namespaces (those without findings first)
// are summed into netns="other"; then every snapshot left keeps fewer
// ports per direction, then fewer owners, then fewer findings, each cap
// the largest that fits. Totals per family and state stay exact;
// health.series_folded says how many series were left out. The smallest
// budget the settings accept (1,000) always fits once all is folded.
StoreView FitSeriesBudget(StoreView view);

}  // namespace tcpstated
