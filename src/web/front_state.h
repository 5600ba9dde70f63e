#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "auth_verifier.h"
#include "basic_auth.h"
#include "connection_gate.h"
#include "failure_backoff.h"
#include "tcpstated/model/log.h"
#include "tcpstated/web/access_list.h"
#include "tcpstated/web/http_front.h"
#include "tcpstated/web/metrics_content.h"
#include "tcpstated/web/web_config.h"
#include "tls_watcher.h"
#include "verified_cache.h"

namespace tcpstated {

// What a request is served with; replaced whole on reload, read by
// requests through a shared_ptr (a request keeps the settings it began
// with).
struct FrontSettings {
  std::string telemetry_path;
  AccessList allow;
  std::shared_ptr<TlsWatcher> tls;        // null: plain HTTP
  std::shared_ptr<const BasicAuth> auth;  // null: no basic auth
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::nanoseconds rate_interval{0};
  int rate_burst = 0;
  std::string tls_priorities;  // "" for plain HTTP
};

// Loads the web config file and the rest of `options` into settings;
// `log` is where the TLS watcher reports changed files. Throws like
// CheckHttpFrontOptions.
std::shared_ptr<const FrontSettings> LoadFrontSettings(
    const HttpFrontOptions& options, LogFn log = DiscardLog);

// exporter-toolkit's rate_limit: a token bucket.
class RateLimiter {
 public:
  bool Allow(const FrontSettings& settings);

 private:
  std::mutex mutex_;
  double tokens_ = -1;  // -1: not started
  std::chrono::steady_clock::time_point last_;
};

// Shared by the MHD callbacks. What outlives a reload lives here: the
// connections, the password checks under way and the ones remembered, the
// clients' failed guesses.
struct FrontState {
  FrontState(MetricsContent& c, LogFn l, ConnectionGate::Limits limits)
      : content(c), log(std::move(l)), gate(limits, &ShutDownSocket) {}
  std::shared_ptr<const FrontSettings> Settings() const {
    std::lock_guard lock(mutex);
    return settings;
  }
  // Ends an evicted connection: its HTTP thread sees the end and closes
  // it. Only while the descriptor is still that socket (`inode`).
  static void ShutDownSocket(int fd, ino_t inode);

  MetricsContent& content;
  const LogFn log;
  ConnectionGate gate;
  AuthVerifier verifier;
  VerifiedCache verified;
  FailureBackoff backoff;
  RateLimiter limiter;
  mutable std::mutex mutex;
  std::shared_ptr<const FrontSettings> settings;
};

}  // namespace tcpstated
