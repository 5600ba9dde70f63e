#include "tcpstated/metrics/exposition.h"

#include <prometheus/text_serializer.h>
#include <zlib.h>

#include <stdexcept>

#include "metric_builders.h"
#include "metric_families.h"
#include "tcpstated/metrics/series_budget.h"

namespace tcpstated {
namespace {

// Raw deflate of `text`, ending with a sync flush: byte-aligned and not
// final, so more blocks may follow.
std::string DeflateOpen(const std::string& text) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::bad_alloc();
  }
  std::string out(deflateBound(&z, text.size()) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&z, Z_SYNC_FLUSH);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  if (result != Z_OK || z.avail_in != 0) throw std::runtime_error("deflate");
  return out;
}

void AppendLittleEndian32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i)
    out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::shared_ptr<const Exposition> Render(const StoreView& view) {
  auto exposition = std::make_shared<Exposition>();
  exposition->generation = view.generation;
  exposition->text =
      prometheus::TextSerializer().Serialize(BuildMetricFamilies(view));
  for (const PublishedSnapshot& published : view.snapshots) {
    const Snapshot& s = *published.snapshot;
    if (view.health.all_namespaces && !s.netns) continue;
    exposition->ages.emplace_back(
        view.health.all_namespaces ? s.netns->Label() : "", s.taken_at);
  }
  // gzip header (RFC 1952): no name, no time, OS unknown.
  exposition->gzip_head =
      std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  exposition->gzip_head += DeflateOpen(exposition->text);
  exposition->text_crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(exposition->text.data()),
            static_cast<uInt>(exposition->text.size())));
  return exposition;
}

}  // namespace

std::string RenderAgeTail(const Exposition& exposition,
                          std::chrono::system_clock::time_point now) {
  if (exposition.ages.empty()) return "";
  auto family = NewFamily("tcpstate_snapshot_age_seconds",
                          "Seconds since the published snapshot was taken.");
  for (const auto& [netns, taken_at] : exposition.ages) {
    Labels labels;
    if (!netns.empty()) labels.push_back({"netns", netns});
    AddGauge(family, std::move(labels),
             std::chrono::duration<double>(now - taken_at).count());
  }
  return prometheus::TextSerializer().Serialize({family});
}

std::string GzipTail(const Exposition& exposition, const std::string& tail) {
  std::string out;
  // Stored blocks (RFC 1951 3.2.4) of at most 65535 bytes; the last final.
  std::size_t offset = 0;
  do {
    const std::size_t length =
        std::min<std::size_t>(tail.size() - offset, 65535);
    const bool last = offset + length == tail.size();
    out += static_cast<char>(last ? 0x01 : 0x00);
    out += static_cast<char>(length & 0xff);
    out += static_cast<char>(length >> 8);
    out += static_cast<char>(~length & 0xff);
    out += static_cast<char>((~length >> 8) & 0xff);
    out.append(tail, offset, length);
    offset += length;
  } while (offset < tail.size());
  const auto tail_crc = crc32(0, reinterpret_cast<const Bytef*>(tail.data()),
                              static_cast<uInt>(tail.size()));
  AppendLittleEndian32(out, static_cast<std::uint32_t>(crc32_combine(
                                exposition.text_crc, tail_crc,
                                static_cast<z_off_t>(tail.size()))));
  AppendLittleEndian32(
      out, static_cast<std::uint32_t>(exposition.text.size() + tail.size()));
  return out;
}

std::shared_ptr<const Exposition> ExpositionCache::Get() {
  std::lock_guard lock(mutex_);
  if (current_ && current_->generation == store_.Generation()) return current_;
  current_ = Render(FitSeriesBudget(store_.View()));
  ++renders_;
  return current_;
}

std::uint64_t ExpositionCache::renders() const {
  std::lock_guard lock(mutex_);
  return renders_;
}

std::string RenderMetrics(const SnapshotStore& store) {
  ExpositionCache cache(store);
  const auto exposition = cache.Get();
  return exposition->text +
         RenderAgeTail(*exposition, std::chrono::system_clock::now());
}

}  // namespace tcpstated
