#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tcpstated/export/snapshot_store.h"

namespace tcpstated {

// Checks a user name and password (HTTP basic auth); true to let in.
using Authenticator =
    std::function<bool(const std::string& user, const std::string& password)>;

struct ExporterOptions {
  // "[host]:port" or "port"; ":PORT" means every address.
  std::string listen_address = ":10039";
  std::string telemetry_path = "/metrics";
  // Client networks allowed to connect (CIDR); empty allows everyone.
  std::vector<std::string> allow;
  Authenticator authenticate;  // empty: no authentication
  // civetweb serves each connection on its own thread.
  std::size_t threads = 64;
};

// The HTTP endpoint: serves the latest snapshot of `store` in the
// Prometheus text format, built fresh on every scrape. Binds in the
// constructor; throws std::runtime_error if it cannot.
class MetricsExporter {
 public:
  MetricsExporter(const ExporterOptions& options, const SnapshotStore& store);
  ~MetricsExporter();
  MetricsExporter(const MetricsExporter&) = delete;
  MetricsExporter& operator=(const MetricsExporter&) = delete;

  // The ports actually bound (useful with port 0).
  std::vector<int> ListeningPorts() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The exposition text a scrape of `store` would return now.
std::string RenderMetrics(const SnapshotStore& store);

// Turns "10.0.0.0/8,::1/128"-style entries into civetweb's access control
// list, denying everyone else. Throws std::invalid_argument naming a bad
// entry.
std::string AccessControlList(const std::vector<std::string>& allow);

}  // namespace tcpstated
