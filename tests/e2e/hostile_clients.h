#pragma once

#include <sys/types.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace tcpstated::testing {

// The bytes a TLS client sends first (its ClientHello), made once by
// GnuTLS over a socket pair: sent alone, they leave a handshake half-open.
std::string ClientHello();

// Connections that never complete a request: `per_address` from each of
// `addresses`, idle or (given a `hello`) half-open TLS. When the server
// closes one, it comes back at once: the flood goes on.
class ConnectionFlood {
 public:
  ConnectionFlood(int port, const std::vector<std::string>& addresses,
                  int per_address, std::string hello = "");
  ~ConnectionFlood();
  ConnectionFlood(const ConnectionFlood&) = delete;
  ConnectionFlood& operator=(const ConnectionFlood&) = delete;

  int reconnects() const { return reconnects_; }
  int open() const { return open_; }

 private:
  struct Slot {
    int fd;
    std::string address;
  };
  void Open(Slot& slot);
  void Run();

  const int port_;
  const std::string hello_;
  std::vector<Slot> slots_;
  std::atomic<bool> stop_{false};
  std::atomic<int> reconnects_{0};
  std::atomic<int> open_{0};
  std::thread thread_;
};

// CPU time (user + system) of a process so far, in seconds.
double CpuSeconds(pid_t pid);

}  // namespace tcpstated::testing
