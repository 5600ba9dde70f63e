#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "tcpstated/model/churn.h"

namespace tcpstated {

// The kernel program that counts connection churn (src/events/bpf/), loaded
// and attached for as long as this object lives. Loading needs CAP_BPF and
// CAP_PERFMON (or root) and a kernel with BTF; when it cannot load, the
// object still exists, status() says why, and readings are empty: the
// socket counts never depend on it.
class ChurnEvents {
 public:
  ChurnEvents();  // loads; never throws for a kernel or permission reason
  ~ChurnEvents();
  ChurnEvents(const ChurnEvents&) = delete;
  ChurnEvents& operator=(const ChurnEvents&) = delete;

  const EventsStatus& status() const { return status_; }
  // What went wrong loading, for the log (empty when loaded).
  const std::string& detail() const { return detail_; }

  // Every namespace's counts as of now. Never throws: a map that cannot be
  // read gives what was read.
  ChurnReading Read() const;

  // Drops the counts of namespaces for which `gone(inode)` holds (they no
  // longer exist), making room in the kernel's map.
  void Forget(const std::function<bool(std::uint64_t)>& gone);

 private:
  struct Program;
  std::unique_ptr<Program> program_;
  EventsStatus status_;
  std::string detail_;
};

}  // namespace tcpstated
