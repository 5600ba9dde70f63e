#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace tcpstated::testing {

// A child process (fork + exec) with its stderr in a file, killed with
// SIGKILL if still running when destroyed.
class ChildProcess {
 public:
  // `environment` entries ("NAME=value") are added to the inherited ones.
  explicit ChildProcess(const std::vector<std::string>& argv,
                        const std::vector<std::string>& environment = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void Signal(int signal) const;
  // Exit status, or -1 if still running after `timeout`.
  int WaitExit(std::chrono::milliseconds timeout);
  bool Running();
  std::string Stderr() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string stderr_path_;
};

struct HttpResponse {
  int status = 0;       // 0: no answer
  std::string headers;  // the status line and headers
  std::string body;
};

// Where a test client connects: the server's address (IPv4 or IPv6) and,
// optionally, the local address to connect from (any 127.0.0.0/8 address
// works on loopback, to stand for different clients).
struct Endpoint {
  std::string host = "127.0.0.1";
  std::string source;
};
// The daemon at ::1.
inline Endpoint Ipv6Loopback() { return {"::1", ""}; }
// The daemon at 127.0.0.1, from another loopback address.
inline Endpoint From(const std::string& source) {
  return {"127.0.0.1", source};
}

// GET http://HOST:PORT/PATH with HTTP/1.0; optional basic auth.
HttpResponse HttpGet(int port, const std::string& path,
                     const std::string& user_password = "",
                     const Endpoint& endpoint = {});

// A connected TCP socket to HOST:PORT (from SOURCE), or -1.
int ConnectTo(int port, const Endpoint& endpoint = {});

// Connects, sends `bytes`, reads until the server closes (or 5 s), and
// returns what came back.
std::string RawExchange(int port, const std::string& bytes,
                        const Endpoint& endpoint = {});

// `timeout` times TCPSTATED_TEST_TIME_FACTOR (a whole number, 1 unless
// set): a deadline for observable state, which a busy host or a sanitizer
// build may need longer to reach. Promises the product makes ("stops within
// 2 s") are measured against the clock, never scaled.
std::chrono::milliseconds Patient(std::chrono::milliseconds timeout);

// Polls `probe` every 50 ms until it returns true or Patient(`timeout`)
// passes.
bool WaitFor(const std::function<bool()>& probe,
             std::chrono::milliseconds timeout);

}  // namespace tcpstated::testing
