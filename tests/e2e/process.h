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
  int status = 0;  // 0: no answer
  std::string body;
};

// GET http://127.0.0.1:PORT/PATH with HTTP/1.0; optional basic auth.
HttpResponse HttpGet(int port, const std::string& path,
                     const std::string& user_password = "");

// Connects to 127.0.0.1:PORT, sends `bytes`, reads until the server closes
// (or 5 s), and returns what came back.
std::string RawExchange(int port, const std::string& bytes);

// Polls `probe` every 50 ms until it returns true or `timeout` passes.
bool WaitFor(const std::function<bool()>& probe,
             std::chrono::milliseconds timeout);

}  // namespace tcpstated::testing
