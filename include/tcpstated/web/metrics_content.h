#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace tcpstated {

// What one scrape of the telemetry path sends: a part shared by every
// scrape of the same collection (rendered once), then a short tail of its
// own (what changes with the clock).
struct ScrapeBody {
  std::shared_ptr<const void> owner;  // keeps `shared` alive
  std::string_view shared;
  std::string tail;
};

// The metrics the HTTP front serves. The front knows nothing else of them:
// not snapshots, not how they are rendered.
class MetricsContent {
 public:
  virtual ~MetricsContent() = default;
  // The body of a scrape now; gzip-encoded when `gzip`. May throw (out of
  // memory): the front then answers 503.
  virtual ScrapeBody Body(bool gzip) = 0;
  // Whether there is anything to serve yet (/-/ready).
  virtual bool Ready() const = 0;
};

}  // namespace tcpstated
