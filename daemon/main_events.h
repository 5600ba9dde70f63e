#pragma once

#include "tcpstated/io/unique_fd.h"

namespace tcpstated {

// What wakes the main thread: SIGTERM/SIGINT, SIGHUP, or news from the
// collection thread (Notify()). The signals must be blocked in every thread
// (BlockHandledSignals, before any thread starts); they are read from a
// signalfd, so the main thread sleeps in poll() until one of these happens
// and an idle daemon wakes only to collect.
class MainEvents {
 public:
  enum class Event { kTerminate, kInterrupt, kReload, kNews };

  static void BlockHandledSignals();
  MainEvents();  // throws std::system_error
  MainEvents(const MainEvents&) = delete;
  MainEvents& operator=(const MainEvents&) = delete;

  Event Wait();
  // From any thread; async-signal-safe.
  void Notify() const;

 private:
  UniqueFd signals_;
  UniqueFd news_;
};

}  // namespace tcpstated
