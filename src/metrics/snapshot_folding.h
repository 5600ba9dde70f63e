#pragma once

#include <cstddef>

#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// One snapshot folded further than its collection folded it, for the
// series budget (see FitSeriesBudget). Totals per state stay exact.

// Keeps the `keep` busiest ports of each direction; the rest are summed
// into the direction's port="other" row (sockets and stalls; churn rows
// alike), and their listen queues, CLOSE_WAIT ages and per-port owners
// are left out.
void FoldPorts(Snapshot& snapshot, std::size_t keep);
// Keeps the `keep` busiest owners; the rest are summed into unit="other",
// and their rows per port are left out (as FoldPorts leaves out those of
// folded ports: "other" names nobody to look at).
void FoldOwners(Attribution& owners, std::size_t keep);
// Keeps the `keep` most severe findings (they come most severe first).
void KeepFindings(Snapshot& snapshot, std::size_t keep);

// What each of the above could keep at most: the caps to search below.
std::size_t MostPorts(const Snapshot& snapshot);  // in one direction
std::size_t MostOwners(const Snapshot& snapshot);
std::size_t MostFindings(const Snapshot& snapshot);

}  // namespace tcpstated
