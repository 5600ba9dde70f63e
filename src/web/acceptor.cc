#include "acceptor.h"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "client_key.h"

namespace tcpstated {
namespace {

constexpr int kPauseMs = 100;  // out of descriptors: accepting waits
constexpr int kBatch = 64;     // accepts per listener per wakeup
constexpr int kWarnEverySeconds = 60;

bool OutOfResources(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS ||
         error == ENOMEM;
}

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Acceptor::Acceptor(std::vector<int> listeners, ConnectionGate& gate,
                   Allowed allowed, Handoff handoff, LogFn log)
    : listeners_(std::move(listeners)),
      gate_(gate),
      allowed_(std::move(allowed)),
      handoff_(std::move(handoff)),
      log_(std::move(log)),
      stop_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!stop_) {
    throw std::runtime_error(std::string("cannot make an eventfd: ") +
                             std::strerror(errno));
  }
  thread_ = std::thread([this] { Run(); });
}

Acceptor::~Acceptor() {
  const std::uint64_t one = 1;
  (void)!write(stop_.get(), &one, sizeof one);
  thread_.join();
}

void Acceptor::Run() {
  pthread_setname_np(pthread_self(), "http-accept");
  std::vector<pollfd> watched;
  watched.push_back({stop_.get(), POLLIN, 0});
  for (int fd : listeners_) watched.push_back({fd, POLLIN, 0});
  bool paused = false;
  for (;;) {
    // Paused, only the stop is watched: the listeners' queues wait.
    const nfds_t count = paused ? 1 : watched.size();
    const int ready = poll(watched.data(), count, paused ? kPauseMs : -1);
    if (ready < 0 && errno != EINTR) return;
    if (watched[0].revents != 0) return;  // stopping
    paused = false;
    for (nfds_t i = 1; i < count; ++i) {
      if ((watched[i].revents & POLLIN) == 0) continue;
      if (!AcceptFrom(watched[i].fd)) paused = true;
    }
  }
}

bool Acceptor::AcceptFrom(int listener) {
  for (int n = 0; n < kBatch; ++n) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    UniqueFd fd(accept4(listener, reinterpret_cast<sockaddr*>(&address),
                        &length, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (fd) {
      try {
        Take(std::move(fd), reinterpret_cast<sockaddr*>(&address), length);
      } catch (...) {  // out of memory: that connection is closed
        ++refused_;
      }
      continue;
    }
    const int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK) return true;
    if (OutOfResources(error)) {
      WarnOutOfDescriptors(error);
      return false;
    }
    // ECONNABORTED, EPROTO, EPERM (a firewall), EINTR: that one only.
  }
  return true;
}

void Acceptor::Take(UniqueFd fd, const sockaddr* address, socklen_t length) {
  struct stat status {};
  if (!allowed_(address) || fstat(fd.get(), &status) != 0) {
    ++refused_;
    return;
  }
  const auto verdict = gate_.Admit(fd.get(), status.st_ino, ClientKey(address));
  if (verdict != ConnectionGate::Verdict::kAdmitted) {
    ++refused_;
    return;
  }
  const int number = fd.release();  // the library closes it from now on
  if (!handoff_(number, address, length)) {
    gate_.Closed(number);
    ++refused_;
  }
}

void Acceptor::WarnOutOfDescriptors(int error) {
  const std::int64_t now = NowSeconds();
  if (last_warning_ != 0 && now - last_warning_ < kWarnEverySeconds) return;
  last_warning_ = now;
  try {
    log_(LogLevel::kWarn,
         std::string("http: cannot accept connections: ") +
             std::strerror(error) + " (" + std::to_string(gate_.size()) +
             " open); accepting pauses for " + std::to_string(kPauseMs) +
             " ms at a time (web.max-connections is bounded by the open-file "
             "limit)");
  } catch (...) {  // out of memory: the pause still applies
  }
}

}  // namespace tcpstated
