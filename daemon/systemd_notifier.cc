#include "systemd_notifier.h"

#include <sys/socket.h>
#include <systemd/sd-daemon.h>

namespace tcpstated {

SystemdNotifier::SystemdNotifier() {
  // Taken once: sd_listen_fds unsets LISTEN_FDS so children do not inherit
  // them.
  const int count = sd_listen_fds(1);
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + count; ++fd) {
    if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) > 0) {
      listen_sockets_.push_back(fd);
    }
  }
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_period_ = std::chrono::microseconds(usec / 2);
  }
}

void SystemdNotifier::Ready(const std::string& status) const {
  sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
}

void SystemdNotifier::Reloading() const { sd_notify(0, "RELOADING=1"); }

void SystemdNotifier::Stopping() const { sd_notify(0, "STOPPING=1"); }

void SystemdNotifier::WatchdogPing() const { sd_notify(0, "WATCHDOG=1"); }

}  // namespace tcpstated
