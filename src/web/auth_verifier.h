#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "basic_auth.h"

namespace tcpstated {

// Runs the bcrypt checks of uncached credentials on one thread of its own,
// one at a time, so that a flood of wrong passwords costs at most one core
// and never blocks the threads that serve scrapes (whose requests wait
// suspended). The queue is bounded; what does not fit is refused at once.
class AuthVerifier {
 public:
  using Done = std::function<void(bool allowed)>;

  explicit AuthVerifier(std::size_t max_queued = 128);
  ~AuthVerifier();  // Stop()
  AuthVerifier(const AuthVerifier&) = delete;
  AuthVerifier& operator=(const AuthVerifier&) = delete;

  // Queues a check; `done` runs on the verifier's thread. False when the
  // queue is full or stopped: `done` is then never called.
  bool Submit(std::shared_ptr<const BasicAuth> auth,
              BasicCredentials credentials, Done done);
  // Refuses what is still queued (done(false)), waits for the check under
  // way, and ends the thread.
  void Stop();

 private:
  struct Job {
    std::shared_ptr<const BasicAuth> auth;
    BasicCredentials credentials;
    Done done;
  };
  void Run();

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tcpstated
