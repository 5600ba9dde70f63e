#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tcpstated/metrics/snapshot_store.h"

namespace tcpstated {

// The exposition of one StoreView, rendered once and shared by every
// scrape until the store changes. Everything but the snapshot ages is
// fixed for a view; the ages (tcpstate_snapshot_age_seconds, which grow
// with the clock) form a small tail rendered per scrape and appended.
//
// The gzip form is shared the same way: the fixed part is deflated once
// and ended with a sync flush (byte-aligned, not final), and a scrape adds
// the tail as stored deflate blocks and the gzip trailer (CRC-32 combined,
// length): one valid gzip member, no compression per scrape.
struct Exposition {
  std::uint64_t generation = 0;
  std::string text;       // the fixed part
  std::string gzip_head;  // gzip header + deflated `text`, sync-flushed
  std::uint32_t text_crc = 0;
  // For the tail: each snapshot's netns label ("" outside --netns all) and
  // when it was taken.
  std::vector<std::pair<std::string, std::chrono::system_clock::time_point>>
      ages;
};

// Renders the tail: the snapshot age family as of `now`.
std::string RenderAgeTail(const Exposition& exposition,
                          std::chrono::system_clock::time_point now);
// The bytes that follow `gzip_head` for `tail`: stored blocks, trailer.
std::string GzipTail(const Exposition& exposition, const std::string& tail);

// Renders at most once per store generation, however many scrapes ask at
// once (the others wait for the one rendering).
class ExpositionCache {
 public:
  explicit ExpositionCache(const SnapshotStore& store) : store_(store) {}
  std::shared_ptr<const Exposition> Get();
  std::uint64_t renders() const;  // for tests and benchmarks

 private:
  const SnapshotStore& store_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Exposition> current_;
  std::uint64_t renders_ = 0;
};

// The full exposition text a scrape of `store` would return now (tests).
std::string RenderMetrics(const SnapshotStore& store);

}  // namespace tcpstated
