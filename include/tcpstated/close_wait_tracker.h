#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tcpstated/port_classifier.h"

namespace tcpstated {

// Told about every CLOSE_WAIT socket while a dump is aggregated.
class CloseWaitObserver {
 public:
  virtual ~CloseWaitObserver() = default;
  virtual void OnCloseWait(std::uint64_t cookie, PortClass port) noexcept = 0;
};

// CLOSE_WAIT sockets of one classified port, by age.
struct CloseWaitAge {
  Direction direction = Direction::kInbound;
  std::uint16_t port = 0;
  std::uint64_t sockets = 0;
  double oldest_seconds = 0;
  std::uint64_t old_sockets = 0;  // older than the tracker's `old_after`
};

// Sums CLOSE_WAIT sockets and their ages per classified port.
class CloseWaitAgeTable {
 public:
  explicit CloseWaitAgeTable(std::chrono::seconds old_after)
      : old_after_(old_after) {}
  void Add(PortClass port, double age_seconds);
  std::vector<CloseWaitAge> OldestFirst() const;

 private:
  std::chrono::seconds old_after_;
  std::map<std::pair<Direction, std::uint16_t>, CloseWaitAge> by_port_;
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
    std::chrono::seconds old_after{300};
  };
  explicit CloseWaitTracker(const Options& options) : options_(options) {}

  void BeginCollection(std::chrono::steady_clock::time_point now);
  void OnCloseWait(std::uint64_t cookie, PortClass port) noexcept override;
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
