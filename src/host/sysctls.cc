#include "tcpstated/host/sysctls.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

std::string_view SkipSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' ||
                           text.front() == '\n')) {
    text.remove_prefix(1);
  }
  return text;
}

std::optional<std::uint16_t> TakePort(std::string_view& text) {
  text = SkipSpace(text);
  unsigned value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || value > 65535) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<PortRange> ParsePortRange(std::string_view text) {
  const auto low = TakePort(text);
  if (!low) return std::nullopt;
  const auto high = TakePort(text);
  if (!high || *low > *high || !SkipSpace(text).empty()) return std::nullopt;
  return PortRange{*low, *high};
}

PortRange ReadLocalPortRange(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  if (!file) {
    throw CollectError(CollectErrorReason::kIo, "cannot read " + path);
  }
  const auto range = ParsePortRange(content.str());
  if (!range) {
    throw CollectError(CollectErrorReason::kIo,
                       "cannot parse " + path + ": \"" + content.str() + "\"");
  }
  return *range;
}

std::vector<SysctlValue> ReadTcpSysctls(const std::string& proc_sys_net) {
  static constexpr const char* kFiles[] = {
      "ipv4/tcp_fin_timeout",    "ipv4/tcp_tw_reuse",
      "ipv4/tcp_max_tw_buckets", "ipv4/tcp_max_syn_backlog",
      "core/somaxconn",          "ipv4/tcp_syncookies",
      "ipv4/tcp_orphan_retries", "ipv4/tcp_keepalive_time",
      "ipv4/tcp_max_orphans",    "ipv4/tcp_syn_retries",
      "ipv4/tcp_synack_retries", "ipv4/tcp_retries2",
  };
  std::vector<SysctlValue> values;
  for (const char* file : kFiles) {
    std::ifstream in(proc_sys_net + "/" + file);
    double value = 0;
    if (in >> value) {
      const std::string_view path(file);
      values.push_back({std::string(path.substr(path.find('/') + 1)), value});
    }
  }
  // Pages: below low, no pressure; above pressure, the kernel moderates
  // buffers; at high, allocations fail (TCPAbortOnMemory).
  std::ifstream mem(proc_sys_net + "/ipv4/tcp_mem");
  double low = 0, pressure = 0, high = 0;
  if (mem >> low >> pressure >> high) {
    values.push_back({"tcp_mem_low", low});
    values.push_back({"tcp_mem_pressure", pressure});
    values.push_back({"tcp_mem_high", high});
  }
  try {
    const PortRange range =
        ReadLocalPortRange(proc_sys_net + "/ipv4/ip_local_port_range");
    values.push_back({"ip_local_port_range_low", double(range.low)});
    values.push_back({"ip_local_port_range_high", double(range.high)});
  } catch (const CollectError&) {
    // Skipped like the others: a missing sysctl is not a failed collection.
  }
  return values;
}

}  // namespace tcpstated
