#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tcpstated/model/log.h"
#include "tcpstated/web/metrics_content.h"

namespace tcpstated {

struct HttpFrontOptions {
  // Each "[HOST]:PORT" (see ParseListenAddress); ":PORT" is dual-stack.
  std::vector<std::string> listen_addresses{":10039"};
  // Listening sockets handed over (systemd socket activation); when there
  // are any, they are served instead of `listen_addresses`.
  std::vector<int> inherited_sockets;
  std::string telemetry_path = "/metrics";
  std::vector<std::string> allow;  // CIDRs; empty: everyone
  std::string web_config_file;     // exporter-toolkit format; "": plain HTTP
  unsigned threads = 2;  // HTTP threads (epoll; no thread per connection)
  // Open connections in all, bounded by the open-file limit; and per
  // client address (an IPv6 client: its /64). See ConnectionGate.
  unsigned max_connections = 256;
  unsigned max_connections_per_client = 16;
  std::chrono::seconds timeout{10};  // a connection idle this long is closed
};

// Checks what can be checked without binding: listen addresses, allow
// list, the web config file (certificates and key loaded and matching,
// bcrypt hashes valid). Throws std::invalid_argument or WebConfigError
// with one line.
void CheckHttpFrontOptions(const HttpFrontOptions& options);

// The HTTP(S) endpoint (libmicrohttpd, TLS through GnuTLS): the telemetry
// path, a landing page, /-/healthy and /-/ready. One thread accepts on
// every listening socket and decides who gets a connection slot (bounded in
// total and per client address; idle and half-open connections give theirs
// up to new ones); a small pool of threads on epoll serves them, so slow
// clients hold a slot, never a thread. Password checks run on a thread of
// their own, fair between clients. The exposition is rendered once per
// collection and shared by every scrape (see MetricsContent).
class HttpFront {
 public:
  // Binds and starts; throws std::runtime_error (or the errors of
  // CheckHttpFrontOptions) naming what failed.
  HttpFront(const HttpFrontOptions& options, MetricsContent& content,
            LogFn log = DiscardLog);
  ~HttpFront();  // stops: connections close, threads join
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  // What a reload changes for new connections and requests: certificates,
  // client CAs, users, headers and rate limit of the web config file; the
  // allow list; the telemetry path. Throws (the running settings stay) on
  // a bad file. Returns what changed but needs a restart (listen
  // addresses, limits, TLS on or off, TLS versions and ciphers).
  std::vector<std::string> Reload(const HttpFrontOptions& options);

  // "127.0.0.1:10039", "[::]:10039", one per listening socket.
  std::vector<std::string> Listening() const;
  std::vector<int> Ports() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcpstated
