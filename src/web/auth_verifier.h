#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "basic_auth.h"

namespace tcpstated {

// Runs the bcrypt checks of uncached credentials on one thread of its own,
// so that password guessing costs at most one core and never blocks the
// threads that serve scrapes (whose requests wait suspended). Fair between
// clients (ClientKey): each has a queue of its own, at most
// `max_per_client` long, and the thread takes one check from each client
// in turn, so a client that floods waits behind itself. Clients without
// recent wrong passwords go first: a scraper's first check waits for at
// most the one under way, however many clients are guessing.
class AuthVerifier {
 public:
  using Done = std::function<void(bool allowed)>;
  struct Limits {
    std::size_t max_queued = 128;
    std::size_t max_per_client = 4;
  };
  enum class Outcome { kQueued, kClientBusy, kBusy, kStopped };

  AuthVerifier() : AuthVerifier(Limits{}) {}
  explicit AuthVerifier(Limits limits);
  ~AuthVerifier();  // Stop()
  AuthVerifier(const AuthVerifier&) = delete;
  AuthVerifier& operator=(const AuthVerifier&) = delete;

  // Queues a check for `client` (`trusted`: no recent wrong passwords);
  // `done` runs on the verifier's thread. Unless kQueued, `done` is never
  // called.
  Outcome Submit(const std::string& client, bool trusted,
                 std::shared_ptr<const BasicAuth> auth,
                 BasicCredentials credentials, Done done);
  // Whether a check is under way.
  bool Busy() const;
  // Refuses (done(false)) what is queued and the check under way, at once:
  // a bcrypt under way is not waited for (it cannot be interrupted); its
  // thread finishes it alone and drops the result.
  void Stop();

 private:
  struct Shared;
  static void Run(std::shared_ptr<Shared> shared);

  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace tcpstated
