#include "main_events.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace tcpstated {
namespace {

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

int Check(int result, const char* what) {
  if (result < 0) throw std::system_error(errno, std::system_category(), what);
  return result;
}

}  // namespace

void MainEvents::BlockHandledSignals() {
  const sigset_t signals = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

MainEvents::MainEvents() {
  const sigset_t signals = HandledSignals();
  signals_ = UniqueFd(Check(::signalfd(-1, &signals, SFD_CLOEXEC), "signalfd"));
  news_ = UniqueFd(Check(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd"));
}

MainEvents::Event MainEvents::Wait() {
  for (;;) {
    pollfd fds[] = {{signals_.get(), POLLIN, 0}, {news_.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::system_category(), "poll");
    }
    // Signals first: a SIGTERM must not wait behind news.
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info{};
      if (::read(signals_.get(), &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGTERM) return Event::kTerminate;
        if (info.ssi_signo == SIGINT) return Event::kInterrupt;
        if (info.ssi_signo == SIGHUP) return Event::kReload;
      }
    }
    if (fds[1].revents & POLLIN) {
      std::uint64_t count = 0;
      if (::read(news_.get(), &count, sizeof count) == sizeof count) {
        return Event::kNews;
      }
    }
  }
}

void MainEvents::Notify() const {
  const std::uint64_t one = 1;
  // Cannot fail but on counter overflow, which a missed wake-up would
  // mean anyway; nothing to do about it here.
  [[maybe_unused]] const auto written = ::write(news_.get(), &one, sizeof one);
}

}  // namespace tcpstated
