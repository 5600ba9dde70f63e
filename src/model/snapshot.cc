#include "tcpstated/model/snapshot.h"

#include <arpa/inet.h>
#include <sys/socket.h>

namespace tcpstated {

StateCounts Snapshot::Totals() const {
  StateCounts totals{};
  for (const StateCounts& family : families) AddTo(totals, family);
  return totals;
}

double Snapshot::EphemeralPortPressure() const {
  if (remote_endpoints.empty()) return 0;
  return static_cast<double>(remote_endpoints.front().sockets) /
         static_cast<double>(ephemeral_range.Size());
}

std::optional<double> Snapshot::Sysctl(std::string_view name) const {
  for (const SysctlValue& v : sysctls) {
    if (v.name == name) return v.value;
  }
  return std::nullopt;
}

std::optional<double> Snapshot::Rate(KernelCounter counter) const {
  if (!kernel_before || kernel_interval.count() <= 0) return std::nullopt;
  const auto now = Get(kernel, counter);
  const auto before = Get(*kernel_before, counter);
  if (!now || !before || *now < *before) return std::nullopt;
  return static_cast<double>(*now - *before) / kernel_interval.count();
}

std::vector<ChurnRate> Snapshot::ChurnRates() const {
  if (!churn_before) return {};
  return tcpstated::ChurnRates(churn, *churn_before, churn_interval.count());
}

std::optional<ChurnRate> Snapshot::ChurnRateOf(Direction direction,
                                               std::uint16_t port) const {
  for (const ChurnRate& r : ChurnRates()) {
    if (r.direction == direction && r.port == port) return r;
  }
  return std::nullopt;
}

std::string RemoteEndpoint::AddressText() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::kIpv4 ? AF_INET : AF_INET6, address.data(), text,
            sizeof text);
  return text;
}

}  // namespace tcpstated
