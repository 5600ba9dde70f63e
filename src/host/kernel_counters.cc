#include "tcpstated/host/kernel_counters.h"

#include <sstream>
#include <vector>

#include "proc_files.h"
#include "tcpstated/io/files.h"

namespace tcpstated {
namespace {

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const auto end = line.find(' ');
    words.push_back(line.substr(0, end));
    line = end == std::string_view::npos ? "" : line.substr(end);
  }
  return words;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    text = end == std::string_view::npos ? "" : text.substr(end + 1);
  }
  return lines;
}

// /proc files report a size of 0: read them whole, but not without bound.
std::string ReadProcFile(const std::string& path) {
  try {
    return ReadRegularFile(path, 1 << 20);
  } catch (const FileProblem&) {
    return "";
  }
}

struct Source {
  KernelCounter counter;
  std::vector<std::string_view> fields;  // summed
};

}  // namespace

std::map<std::string, std::uint64_t, std::less<>> ParseCounterTable(
    std::string_view text) {
  std::map<std::string, std::uint64_t, std::less<>> out;
  const auto lines = Lines(text);
  for (std::size_t i = 0; i + 1 < lines.size(); i += 2) {
    const auto names = Words(lines[i]);
    const auto values = Words(lines[i + 1]);
    if (names.empty() || values.size() != names.size() ||
        names[0] != values[0] || !names[0].ends_with(':')) {
      continue;  // a malformed pair is skipped, not guessed at
    }
    const std::string_view section = names[0].substr(0, names[0].size() - 1);
    for (std::size_t k = 1; k < names.size(); ++k) {
      if (const auto value = ParseDecimal<std::uint64_t>(values[k])) {
        out[std::string(section) + "." + std::string(names[k])] = *value;
      }
    }
  }
  return out;
}

std::map<std::string, std::uint64_t, std::less<>> ParseSockstat(
    std::string_view text, std::string_view protocol) {
  std::map<std::string, std::uint64_t, std::less<>> out;
  for (std::string_view line : Lines(text)) {
    const auto words = Words(line);
    if (words.empty() || words[0] != protocol) continue;
    for (std::size_t k = 1; k + 1 < words.size(); k += 2) {
      if (const auto value = ParseDecimal<std::uint64_t>(words[k + 1])) {
        out[std::string(words[k])] = *value;
      }
    }
  }
  return out;
}

KernelCounters ReadKernelCounters(const std::string& proc_net) {
  static const std::vector<Source> kSources = {
      {KernelCounter::kListenOverflows, {"TcpExt.ListenOverflows"}},
      {KernelCounter::kListenDrops, {"TcpExt.ListenDrops"}},
      {KernelCounter::kTimeWaitOverflows, {"TcpExt.TCPTimeWaitOverflow"}},
      {KernelCounter::kTimeWaitsEntered, {"TcpExt.TW", "TcpExt.TWKilled"}},
      {KernelCounter::kTimeWaitsReused, {"TcpExt.TWRecycled"}},
      {KernelCounter::kActiveOpens, {"Tcp.ActiveOpens"}},
      {KernelCounter::kPassiveOpens, {"Tcp.PassiveOpens"}},
      {KernelCounter::kConnectFailures, {"Tcp.AttemptFails"}},
      {KernelCounter::kResetsSent, {"Tcp.OutRsts"}},
      {KernelCounter::kSyncookiesSent, {"TcpExt.SyncookiesSent"}},
      {KernelCounter::kAbortOnClose, {"TcpExt.TCPAbortOnClose"}},
      {KernelCounter::kAbortOnData, {"TcpExt.TCPAbortOnData"}},
      {KernelCounter::kAbortOnTimeout, {"TcpExt.TCPAbortOnTimeout"}},
      {KernelCounter::kAbortOnLinger, {"TcpExt.TCPAbortOnLinger"}},
      {KernelCounter::kAbortOnMemory, {"TcpExt.TCPAbortOnMemory"}},
      {KernelCounter::kAbortFailed, {"TcpExt.TCPAbortFailed"}},
      {KernelCounter::kSynRetransmits, {"TcpExt.TCPSynRetrans"}},
      {KernelCounter::kRetransmittedSegments, {"Tcp.RetransSegs"}},
      {KernelCounter::kTimeouts, {"TcpExt.TCPTimeouts"}},
  };
  auto table = ParseCounterTable(ReadProcFile(proc_net + "/netstat"));
  table.merge(ParseCounterTable(ReadProcFile(proc_net + "/snmp")));
  KernelCounters counters{};
  for (const Source& source : kSources) {
    std::uint64_t sum = 0;
    bool all = true;
    for (std::string_view field : source.fields) {
      const auto it = table.find(field);
      if (it == table.end()) {
        all = false;
        break;
      }
      sum += it->second;
    }
    if (all) counters[static_cast<std::size_t>(source.counter)] = sum;
  }
  const auto sockstat = ParseSockstat(ReadProcFile(proc_net + "/sockstat"));
  if (const auto it = sockstat.find("orphan"); it != sockstat.end()) {
    counters[static_cast<std::size_t>(KernelCounter::kOrphans)] = it->second;
  }
  if (const auto it = sockstat.find("mem"); it != sockstat.end()) {
    counters[static_cast<std::size_t>(KernelCounter::kMemoryPages)] =
        it->second;
  }
  return counters;
}

std::optional<std::uint64_t> TcpSocketsInUse(const std::string& proc_net) {
  const std::string v4 = ReadProcFile(proc_net + "/sockstat");
  const auto tcp = ParseSockstat(v4);
  const auto inuse = tcp.find("inuse");
  const auto tw = tcp.find("tw");
  if (inuse == tcp.end() || tw == tcp.end()) return std::nullopt;
  std::uint64_t sockets = inuse->second + tw->second;
  // No IPv6 in the kernel: no sockstat6, no IPv6 sockets.
  const auto tcp6 =
      ParseSockstat(ReadProcFile(proc_net + "/sockstat6"), "TCP6:");
  if (const auto it = tcp6.find("inuse"); it != tcp6.end()) {
    sockets += it->second;
  }
  return sockets;
}

}  // namespace tcpstated
