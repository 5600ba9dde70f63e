#include <gnutls/gnutls.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <stdexcept>

#include "front_state.h"
#include "tcpstated/model/one_line.h"
#include "tcpstated/web/listen_address.h"
#include "tls_priorities.h"

namespace tcpstated {

std::shared_ptr<const FrontSettings> LoadFrontSettings(
    const HttpFrontOptions& options, LogFn log) {
  auto settings = std::make_shared<FrontSettings>();
  settings->telemetry_path = options.telemetry_path;
  settings->allow = AccessList::Parse(options.allow);
  if (options.web_config_file.empty()) return settings;
  const WebConfig config = LoadWebConfig(options.web_config_file);
  const std::string where = "web config " + options.web_config_file + ": ";
  try {
    if (config.tls.enabled) {
      settings->tls = std::make_shared<TlsWatcher>(
          config.tls, TlsCredentials::Load(config.tls), std::move(log));
      settings->tls_priorities = TlsPriorities(config.tls);
      gnutls_priority_t priority = nullptr;
      const char* error_at = nullptr;
      if (gnutls_priority_init(&priority, settings->tls_priorities.c_str(),
                               &error_at) < 0) {
        throw WebConfigError(
            "tls_server_config: GnuTLS refuses the "
            "priorities at \"" +
            std::string(error_at ? error_at : "?") + "\"");
      }
      gnutls_priority_deinit(priority);
    }
    if (!config.users.empty()) settings->auth = BasicAuth::Load(config.users);
  } catch (const WebConfigError& error) {
    throw WebConfigError(OneLine(where + error.what()));
  }
  settings->headers = config.headers;
  settings->rate_interval = config.rate_interval;
  settings->rate_burst = config.rate_burst;
  return settings;
}

void CheckHttpFrontOptions(const HttpFrontOptions& options) {
  for (const std::string& address : options.listen_addresses) {
    ParseListenAddress(address);
  }
  if (options.telemetry_path.empty() || options.telemetry_path.front() != '/') {
    throw std::invalid_argument("the telemetry path must start with /");
  }
  LoadFrontSettings(options);
}

void FrontState::ShutDownSocket(int fd, ino_t inode) {
  struct stat status {};
  if (fstat(fd, &status) == 0 && status.st_ino == inode) {
    shutdown(fd, SHUT_RDWR);
  }
}

bool RateLimiter::Allow(const FrontSettings& settings) {
  if (settings.rate_interval.count() <= 0) return true;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double burst = settings.rate_burst;
  if (tokens_ < 0) {
    tokens_ = burst;
  } else {
    const double refill = std::chrono::duration<double>(now - last_) /
                          std::chrono::duration<double>(settings.rate_interval);
    tokens_ = std::min(burst, tokens_ + refill);
  }
  last_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

}  // namespace tcpstated
