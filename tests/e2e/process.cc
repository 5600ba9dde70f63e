#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace tcpstated::testing {
namespace {

std::string Base64(const std::string& in) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kTable[v >> 18];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += kTable[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kTable[v >> 18];
    out += kTable[(v >> 12) & 63];
    out += i + 1 < in.size() ? kTable[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::vector<std::string>& environment) {
  char path[] = "/tmp/tcpstated-e2e-stderr-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("mkstemp");
  stderr_path_ = path;
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    dup2(fd, STDERR_FILENO);
    const int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    // The test blocks nothing, but be explicit: the child starts clean.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const auto& entry : environment)
      putenv(const_cast<char*>(entry.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fd);
}

ChildProcess::~ChildProcess() {
  if (Running()) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
  // In a sanitizer build the child (the daemon, mostly) reports to its
  // stderr and may go on running: a report fails the test that ran it.
  const std::string log = Stderr();
  for (const char* report : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "WARNING: ThreadSanitizer", "runtime error: "}) {
    const auto at = log.find(report);
    if (at != std::string::npos) {
      ADD_FAILURE() << "the child process reported: " << log.substr(at, 4000);
      break;
    }
  }
  std::remove(stderr_path_.c_str());
}

void ChildProcess::Signal(int signal) const { kill(pid_, signal); }

bool ChildProcess::Running() {
  if (status_ != -1) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

int ChildProcess::WaitExit(std::chrono::milliseconds timeout) {
  WaitFor([this] { return !Running(); }, timeout);
  return Running() ? -1 : status_;
}

std::string ChildProcess::Stderr() const {
  std::ifstream file(stderr_path_);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

int ConnectTo(int port, const Endpoint& endpoint) {
  sockaddr_storage target{};
  socklen_t length = 0;
  const auto fill = [&](const std::string& host, sockaddr_storage& out) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
      v4->sin_family = AF_INET;
      v4->sin_port = htons(static_cast<std::uint16_t>(port));
      return static_cast<socklen_t>(sizeof(sockaddr_in));
    }
    if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
      v6->sin6_family = AF_INET6;
      v6->sin6_port = htons(static_cast<std::uint16_t>(port));
      return static_cast<socklen_t>(sizeof(sockaddr_in6));
    }
    return socklen_t{0};
  };
  length = fill(endpoint.host, target);
  if (length == 0) return -1;
  const int fd = socket(target.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (!endpoint.source.empty()) {
    sockaddr_storage source{};
    const socklen_t source_length = fill(endpoint.source, source);
    reinterpret_cast<sockaddr_in*>(&source)->sin_port = 0;  // any port
    if (source_length == 0 ||
        bind(fd, reinterpret_cast<sockaddr*>(&source), source_length) != 0) {
      close(fd);
      return -1;
    }
  }
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&target), length) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string RawExchange(int port, const std::string& bytes,
                        const Endpoint& endpoint) {
  const int fd = ConnectTo(port, endpoint);
  std::string raw;
  if (fd < 0) return raw;
  send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  char buffer[65536];
  for (;;) {
    const ssize_t got = recv(fd, buffer, sizeof buffer, 0);
    // Signals do interrupt: children the test starts (system(), ip) exit.
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(got));
  }
  close(fd);
  return raw;
}

HttpResponse HttpGet(int port, const std::string& path,
                     const std::string& user_password,
                     const Endpoint& endpoint) {
  HttpResponse response;
  std::string request = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n";
  if (!user_password.empty()) {
    request += "Authorization: Basic " + Base64(user_password) + "\r\n";
  }
  request += "\r\n";
  const std::string raw = RawExchange(port, request, endpoint);
  if (raw.rfind("HTTP/1.", 0) == 0 && raw.size() > 12) {
    response.status = std::stoi(raw.substr(9, 3));
  }
  const auto body = raw.find("\r\n\r\n");
  if (body != std::string::npos) {
    response.headers = raw.substr(0, body);
    response.body = raw.substr(body + 4);
  }
  return response;
}

std::chrono::milliseconds Patient(std::chrono::milliseconds timeout) {
  static const int factor = [] {
    const char* text = std::getenv("TCPSTATED_TEST_TIME_FACTOR");
    const int value = text ? std::atoi(text) : 1;
    return value >= 1 ? value : 1;
  }();
  return timeout * factor;
}

bool WaitFor(const std::function<bool()>& probe,
             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + Patient(timeout);
  for (;;) {
    if (probe()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace tcpstated::testing
