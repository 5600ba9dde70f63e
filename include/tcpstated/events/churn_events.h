#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <utility>

#include "tcpstated/model/churn.h"
#include "tcpstated/model/ports.h"

namespace tcpstated {

// The kernel program that counts connection churn (src/events/bpf/), loaded
// and attached for as long as this object lives. Loading needs CAP_BPF and
// CAP_PERFMON (or root) and a kernel with BTF; when it cannot load, the
// object still exists, status() says why, and readings are empty: the
// socket counts never depend on it.
class ChurnEvents {
 public:
  // Loads; never throws for a kernel or permission reason. With
  // `lifetimes`, connections' lifetimes are measured too: each connection
  // then costs an allocation of socket-local storage in the kernel (see
  // docs/performance.md), the rest of the counts none.
  explicit ChurnEvents(bool lifetimes);
  ~ChurnEvents();
  ChurnEvents(const ChurnEvents&) = delete;
  ChurnEvents& operator=(const ChurnEvents&) = delete;

  const EventsStatus& status() const { return status_; }
  // What went wrong loading, for the log (empty when loaded).
  const std::string& detail() const { return detail_; }

  // Every namespace's counts as of now. Never throws: a map that cannot be
  // read gives what was read.
  ChurnReading Read() const;

  // Tells the program which ports of namespace `netns` listen, so that
  // connections it did not see open are counted in the right direction
  // (it learns listeners that start, and ports that accept, by itself).
  // Cheap when nothing changed: only ports not told before are written.
  void NoteListeners(std::uint64_t netns, const PortSet& listening);

  // From now on counts namespace `netns` only (the daemon watching one):
  // the program passes over the others' events, and what it counted of
  // them is dropped. Nothing to do when it already does.
  void CountOnly(std::uint64_t netns);

  // Drops the counts of namespaces for which `gone(inode)` holds (they no
  // longer exist), making room in the kernel's maps.
  void Forget(const std::function<bool(std::uint64_t)>& gone);

 private:
  struct Program;
  std::unique_ptr<Program> program_;
  std::set<std::pair<std::uint64_t, std::uint16_t>> noted_;  // listeners told
  EventsStatus status_;
  std::string detail_;
};

}  // namespace tcpstated
