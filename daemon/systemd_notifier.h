#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tcpstated {

// Talks to systemd's notify socket (Type=notify, WatchdogSec=). Every call
// is a no-op when the daemon was not started by systemd.
class SystemdNotifier {
 public:
  SystemdNotifier();
  void Ready(const std::string& status) const;
  void Reloading() const;
  void Stopping() const;
  void WatchdogPing() const;
  // The listening TCP sockets systemd passed (socket activation), if any.
  std::vector<int> ListenSockets() const { return listen_sockets_; }
  // How often to ping: half of WatchdogSec, or nullopt when not enabled.
  std::optional<std::chrono::microseconds> WatchdogPeriod() const {
    return watchdog_period_;
  }

 private:
  std::optional<std::chrono::microseconds> watchdog_period_;
  std::vector<int> listen_sockets_;
};

}  // namespace tcpstated
