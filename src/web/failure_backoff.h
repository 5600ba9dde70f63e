#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tcpstated {

// Password guesses from one client (ClientKey) cost a bcrypt check each
// only up to a burst; after that one per `refill`, and the rest are
// refused before any check (429). A token is taken when a check is queued
// and given back when the password was right, so a scraper that knows its
// password is never slowed. Remembers at most `max_clients` clients; when
// full, the one seen longest ago is forgotten.
class FailureBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  struct Limits {
    int burst = 10;
    Clock::duration refill = std::chrono::seconds(1);
    std::size_t max_clients = 4096;
  };

  FailureBackoff() : FailureBackoff(Limits{}) {}
  explicit FailureBackoff(Limits limits) : limits_(limits) {}

  enum class Verdict {
    kRefused,  // out of tokens: no check
    kTrusted,  // no recent wrong password (a full bucket)
    kAllowed,
  };
  // Whether `client` may have a check now; takes a token if so.
  Verdict Take(const std::string& client, Clock::time_point now);
  // The check found the password right: its token comes back.
  void GiveBack(const std::string& client);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  void MakeRoom();

  const Limits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tcpstated
