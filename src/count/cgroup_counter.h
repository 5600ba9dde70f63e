#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "tcpstated/count/cgroup_counts.h"
#include "tcpstated/diag/socket_record.h"

namespace tcpstated {

// Counts sockets per cgroup while a dump streams. Only full sockets carry a
// cgroup: TIME_WAIT, request (SYN_RECV) and orphaned sockets have none and
// are not counted here. A host has hundreds of cgroups, not millions of
// sockets, so the maps stay small; each is capped all the same, and what
// finds no room is counted (CgroupCounts::overflow).
//
// This runs once per socket: the kernel's walk meets the sockets of a busy
// owner again and again, so the last cgroup (and the last CLOSE_WAIT port)
// is remembered and most sockets cost a comparison, not a hash lookup.
class CgroupCounter {
 public:
  explicit CgroupCounter(std::size_t max_entries = 4096);

  // `cls` is the socket's classified port (for LISTEN: inbound, local port).
  void Add(const SocketRecord& record, PortClass cls) noexcept;

  // Everything counted, as values.
  CgroupCounts Counts() const;

 private:
  struct Cgroup {
    std::uint32_t ordinal;  // index into ids_: keeps port keys 32-bit
    StateCounts states{};
  };
  // (cgroup ordinal, direction, port) packed as ordinal << 17 | dir << 16 |
  // port.
  using PortCounts = std::unordered_map<std::uint32_t, std::uint64_t>;

  Cgroup* Find(std::uint64_t cgroup_id) noexcept;
  std::uint64_t* Find(PortCounts& counts, std::uint32_t key) noexcept;
  std::vector<PortCgroupSockets> Unpack(const PortCounts& counts) const;

  std::size_t max_entries_;
  std::unordered_map<std::uint64_t, Cgroup> by_cgroup_;
  std::vector<std::uint64_t> ids_;  // by ordinal
  PortCounts listeners_;
  PortCounts close_waits_;
  std::uint64_t overflow_ = 0;
  // Last hits. Values of an unordered_map never move, so pointers stay valid.
  std::uint64_t last_id_ = 0;
  Cgroup* last_cgroup_ = nullptr;
  std::uint32_t last_close_wait_key_ = 0;
  std::uint64_t* last_close_wait_ = nullptr;
};

}  // namespace tcpstated
