#pragma once

#include <chrono>

#include "tcpstated/metrics/exposition.h"
#include "tcpstated/metrics/snapshot_store.h"
#include "tcpstated/web/metrics_content.h"

namespace tcpstated {

// What the HTTP front serves: the store's exposition, rendered once per
// collection, and each scrape's snapshot ages (a tail of its own).
class StoreContent final : public MetricsContent {
 public:
  explicit StoreContent(const SnapshotStore& store)
      : store_(store), cache_(store) {}

  ScrapeBody Body(bool gzip) override {
    std::shared_ptr<const Exposition> e = cache_.Get();
    std::string tail = RenderAgeTail(*e, std::chrono::system_clock::now());
    if (gzip) tail = GzipTail(*e, tail);
    const std::string& shared = gzip ? e->gzip_head : e->text;
    return {e, shared, std::move(tail)};
  }
  bool Ready() const override { return store_.HasSnapshot(); }
  std::uint64_t renders() const { return cache_.renders(); }

 private:
  const SnapshotStore& store_;
  ExpositionCache cache_;
};

}  // namespace tcpstated
