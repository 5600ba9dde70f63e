#include "cgroup_counter.h"

#include <new>

namespace tcpstated {

namespace {

std::uint32_t PortKey(std::uint32_t ordinal, PortClass cls) {
  return ordinal << 17 |
         std::uint32_t{static_cast<std::uint8_t>(cls.direction)} << 16 |
         cls.port;
}

}  // namespace

CgroupCounter::CgroupCounter(std::size_t max_entries)
    // Ordinals share a 32-bit key with 17 bits of port and direction.
    : max_entries_(std::min<std::size_t>(max_entries, std::size_t{1} << 15)) {}

// Allocation happens once per new cgroup or port, never per socket; a
// failure only loses attribution, so it is counted, not thrown.
CgroupCounter::Cgroup* CgroupCounter::Find(std::uint64_t cgroup_id) noexcept {
  if (cgroup_id == last_id_ && last_cgroup_ != nullptr) return last_cgroup_;
  auto it = by_cgroup_.find(cgroup_id);
  if (it == by_cgroup_.end()) {
    if (by_cgroup_.size() >= max_entries_) return nullptr;
    try {
      it = by_cgroup_
               .emplace(cgroup_id,
                        Cgroup{static_cast<std::uint32_t>(ids_.size())})
               .first;
      ids_.push_back(cgroup_id);
    } catch (const std::bad_alloc&) {
      by_cgroup_.erase(cgroup_id);
      return nullptr;
    }
  }
  last_id_ = cgroup_id;
  last_cgroup_ = &it->second;
  return last_cgroup_;
}

std::uint64_t* CgroupCounter::Find(PortCounts& counts,
                                   std::uint32_t key) noexcept {
  auto it = counts.find(key);
  if (it == counts.end()) {
    if (counts.size() >= max_entries_) return nullptr;
    try {
      it = counts.emplace(key, 0).first;
    } catch (const std::bad_alloc&) {
      return nullptr;
    }
  }
  return &it->second;
}

void CgroupCounter::Add(const SocketRecord& record, PortClass cls) noexcept {
  if (record.cgroup_id == 0) return;
  Cgroup* cgroup = Find(record.cgroup_id);
  if (cgroup == nullptr) {
    ++overflow_;
    return;
  }
  ++cgroup->states[Index(record.state)];
  if (record.state != TcpState::kListen &&
      record.state != TcpState::kCloseWait) {
    return;
  }
  const std::uint32_t key = PortKey(cgroup->ordinal, cls);
  std::uint64_t* count = nullptr;
  if (record.state == TcpState::kListen) {
    count = Find(listeners_, key);  // one per listener: rare
  } else if (key == last_close_wait_key_ && last_close_wait_ != nullptr) {
    count = last_close_wait_;
  } else {
    count = Find(close_waits_, key);
    last_close_wait_key_ = key;
    last_close_wait_ = count;
  }
  if (count == nullptr) {
    ++overflow_;
    return;
  }
  ++*count;
}

std::vector<PortCgroupSockets> CgroupCounter::Unpack(
    const PortCounts& counts) const {
  std::vector<PortCgroupSockets> out;
  out.reserve(counts.size());
  for (const auto& [key, sockets] : counts) {
    const PortClass cls{static_cast<Direction>((key >> 16) & 1),
                        static_cast<std::uint16_t>(key & 0xffff)};
    out.push_back({cls, ids_[key >> 17], sockets});
  }
  return out;
}

CgroupCounts CgroupCounter::Counts() const {
  CgroupCounts counts;
  counts.cgroups.reserve(by_cgroup_.size());
  for (const auto& [id, cgroup] : by_cgroup_) {
    counts.cgroups.push_back({id, cgroup.states});
  }
  counts.listeners = Unpack(listeners_);
  counts.close_waits = Unpack(close_waits_);
  counts.overflow = overflow_;
  return counts;
}

}  // namespace tcpstated
