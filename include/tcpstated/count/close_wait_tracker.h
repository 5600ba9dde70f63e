#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "tcpstated/model/ports.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// CLOSE_WAIT sockets older than this count as leaked
// (tcpstate_close_wait_old_sockets, the report's "older than 5m").
inline constexpr std::chrono::seconds kDefaultLeakAge{300};

// Told about every CLOSE_WAIT socket while a dump is aggregated.
class CloseWaitObserver {
 public:
  virtual ~CloseWaitObserver() = default;
  virtual void OnCloseWait(std::uint64_t cookie, PortClass port) noexcept = 0;
  // The dump starts over (a second classification pass): the same sockets
  // are about to be told again.
  virtual void OnDumpRestart() noexcept {}
};

// Follows CLOSE_WAIT sockets across collections by socket cookie, which
// the kernel never reuses, to tell how long each has been leaking. Ages
// count from the first collection that saw a socket, so they are low by
// up to one interval. Memory is bounded by `max_tracked`; sockets beyond it
// are counted, not followed.
class CloseWaitTracker final : public CloseWaitObserver {
 public:
  struct Options {
    std::size_t max_tracked = 20000;
    std::chrono::seconds old_after = kDefaultLeakAge;
  };
  explicit CloseWaitTracker(const Options& options) : options_(options) {}

  void BeginCollection(std::chrono::steady_clock::time_point now);
  void OnCloseWait(std::uint64_t cookie, PortClass port) noexcept override;
  // Over-cap sockets are counted, not remembered: a repeated pass must not
  // count them twice.
  void OnDumpRestart() noexcept override { untracked_ = 0; }
  // Forgets sockets the collection did not see, and returns the ages per
  // port, oldest first.
  std::vector<CloseWaitAge> EndCollection();

  // CLOSE_WAIT sockets of the last collection that were over the cap.
  std::uint64_t untracked() const { return untracked_; }
  std::size_t tracked() const { return sockets_.size(); }
  void SetOptions(const Options& options) { options_ = options; }

 private:
  struct Entry {
    std::chrono::steady_clock::time_point first_seen;
    PortClass port;
    std::uint64_t generation;
  };
  Options options_;
  std::unordered_map<std::uint64_t, Entry> sockets_;
  std::chrono::steady_clock::time_point now_;
  std::uint64_t generation_ = 0;
  std::uint64_t untracked_ = 0;
};

}  // namespace tcpstated
