#include "tcpstated/cgroup_counter.h"

#include <new>

namespace tcpstated {

CgroupCounter::CgroupCounter(std::size_t max_entries)
    : max_entries_(max_entries) {
  by_cgroup_.reserve(std::min<std::size_t>(max_entries, 1024));
}

void CgroupCounter::Add(const SocketRecord& record, PortClass cls) noexcept {
  if (record.cgroup_id == 0) return;
  // Allocation happens once per new cgroup or port, never per socket; a
  // failure only loses attribution, so it is counted, not thrown.
  try {
    auto it = by_cgroup_.find(record.cgroup_id);
    if (it == by_cgroup_.end()) {
      if (by_cgroup_.size() >= max_entries_) {
        ++overflow_;
        return;
      }
      it = by_cgroup_.emplace(record.cgroup_id, StateCounts{}).first;
    }
    ++it->second[Index(record.state)];
  } catch (const std::bad_alloc&) {
    ++overflow_;
    return;
  }
  if (record.state == TcpState::kListen) {
    Increment(listeners_, cls, record.cgroup_id);
  } else if (record.state == TcpState::kCloseWait) {
    Increment(close_waits_, cls, record.cgroup_id);
  }
}

void CgroupCounter::Increment(PortCounts& counts, PortClass cls,
                              std::uint64_t cgroup_id) noexcept {
  const PortKey key{
      cgroup_id,
      (std::uint32_t{static_cast<std::uint8_t>(cls.direction)} << 16) |
          cls.port};
  try {
    auto it = counts.find(key);
    if (it == counts.end()) {
      if (counts.size() >= max_entries_) {
        ++overflow_;
        return;
      }
      it = counts.emplace(key, 0).first;
    }
    ++it->second;
  } catch (const std::bad_alloc&) {
    ++overflow_;
  }
}

std::vector<CgroupSockets> CgroupCounter::Cgroups() const {
  std::vector<CgroupSockets> out;
  out.reserve(by_cgroup_.size());
  for (const auto& [id, states] : by_cgroup_) out.push_back({id, states});
  return out;
}

std::vector<PortCgroupSockets> CgroupCounter::Unpack(const PortCounts& counts) {
  std::vector<PortCgroupSockets> out;
  out.reserve(counts.size());
  for (const auto& [key, sockets] : counts) {
    const PortClass cls{static_cast<Direction>(key.second >> 16),
                        static_cast<std::uint16_t>(key.second & 0xffff)};
    out.push_back({cls, key.first, sockets});
  }
  return out;
}

std::vector<PortCgroupSockets> CgroupCounter::Listeners() const {
  return Unpack(listeners_);
}

std::vector<PortCgroupSockets> CgroupCounter::CloseWaits() const {
  return Unpack(close_waits_);
}

}  // namespace tcpstated
