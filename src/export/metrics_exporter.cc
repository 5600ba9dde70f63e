#include "tcpstated/export/metrics_exporter.h"

#include <arpa/inet.h>
#include <prometheus/exposer.h>
#include <prometheus/text_serializer.h>

#include <charconv>
#include <stdexcept>

#include "metric_families.h"

namespace tcpstated {
namespace {

std::string CivetListeningPort(const std::string& address) {
  // civetweb takes "PORT" for every address; ":PORT" is the usual spelling.
  if (!address.empty() && address.front() == ':') return address.substr(1);
  return address;
}

bool ValidCidr(const std::string& entry) {
  const auto slash = entry.find('/');
  const std::string address = entry.substr(0, slash);
  unsigned char buffer[16];
  int max_prefix = 0;
  if (inet_pton(AF_INET, address.c_str(), buffer) == 1) {
    max_prefix = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), buffer) == 1) {
    max_prefix = 128;
  } else {
    return false;
  }
  if (slash == std::string::npos) return true;
  const std::string prefix = entry.substr(slash + 1);
  int bits = -1;
  const auto [end, error] =
      std::from_chars(prefix.data(), prefix.data() + prefix.size(), bits);
  return error == std::errc() && end == prefix.data() + prefix.size() &&
         bits >= 0 && bits <= max_prefix;
}

}  // namespace

std::string AccessControlList(const std::vector<std::string>& allow) {
  if (allow.empty()) return "";
  std::string acl = "-0.0.0.0/0";
  for (const std::string& entry : allow) {
    if (!ValidCidr(entry)) {
      throw std::invalid_argument("\"" + entry +
                                  "\" is not an address or CIDR network");
    }
    acl += ",+" + entry;
  }
  return acl;
}

struct MetricsExporter::Impl {
  Impl(const ExporterOptions& options, const SnapshotStore& store)
      : collectable(std::make_shared<SnapshotCollectable>(store)),
        exposer(CivetOptions(options)) {
    if (options.authenticate) {
      exposer.RegisterAuth(options.authenticate, "tcpstated",
                           options.telemetry_path);
    }
    exposer.RegisterCollectable(collectable, options.telemetry_path);
  }

  static std::vector<std::string> CivetOptions(const ExporterOptions& options) {
    std::vector<std::string> civet = {
        "listening_ports", CivetListeningPort(options.listen_address),
        "num_threads", std::to_string(options.threads),
        // A client that never finishes its request must not hold a worker
        // for long.
        "request_timeout_ms", "5000"};
    const std::string acl = AccessControlList(options.allow);
    if (!acl.empty()) {
      civet.push_back("access_control_list");
      civet.push_back(acl);
    }
    return civet;
  }

  std::shared_ptr<SnapshotCollectable> collectable;
  prometheus::Exposer exposer;
};

MetricsExporter::MetricsExporter(const ExporterOptions& options,
                                 const SnapshotStore& store) {
  try {
    impl_ = std::make_unique<Impl>(options, store);
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot listen on " + options.listen_address +
                             ": " + error.what());
  }
}

MetricsExporter::~MetricsExporter() = default;

std::vector<int> MetricsExporter::ListeningPorts() const {
  return impl_->exposer.GetListeningPorts();
}

std::string RenderMetrics(const SnapshotStore& store) {
  return prometheus::TextSerializer().Serialize(
      SnapshotCollectable(store).Collect());
}

}  // namespace tcpstated
