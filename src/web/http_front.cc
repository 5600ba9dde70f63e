#include "tcpstated/web/http_front.h"

#include <fcntl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "acceptor.h"
#include "fd_budget.h"
#include "front_state.h"
#include "http_callbacks.h"
#include "tcpstated/web/listen_address.h"

namespace tcpstated {
namespace {

void LogFromMhd(void* cls, const char* format, va_list arguments) {
  char text[512];
  std::vsnprintf(text, sizeof text, format, arguments);
  std::string line(text);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  // Clients that hang up or fail a handshake are routine, not news.
  try {
    static_cast<const FrontState*>(cls)->log(LogLevel::kDebug, "http: " + line);
  } catch (...) {  // nothing may leave a C callback
  }
}

struct DaemonStop {
  void operator()(MHD_Daemon* daemon) const { MHD_stop_daemon(daemon); }
};
using Daemon = std::unique_ptr<MHD_Daemon, DaemonStop>;

// The connection limits, web.max-connections bounded by the open-file
// limit (with a warning when it does not fit).
ConnectionGate::Limits GateLimits(const HttpFrontOptions& options,
                                  const LogFn& log) {
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  const std::size_t fit = ConnectionsThatFit(files.rlim_cur, options.threads);
  ConnectionGate::Limits limits;
  limits.max_total = std::max<std::size_t>(1, options.max_connections);
  if (limits.max_total > fit) {
    log(LogLevel::kWarn,
        "web.max-connections " + std::to_string(limits.max_total) +
            " does not fit the open-file limit (" +
            std::to_string(files.rlim_cur) + ", of which " +
            std::to_string(ReservedDescriptors(options.threads)) +
            " are kept for collecting and the HTTP threads): serving at most " +
            std::to_string(fit) +
            " connections; raise LimitNOFILE= (ulimit "
            "-n) or lower web.max-connections");
    limits.max_total = fit;
  }
  limits.max_per_client = std::min<std::size_t>(
      limits.max_total, std::max(1u, options.max_connections_per_client));
  return limits;
}

// What a reload cannot change: compared, and reported when it differs.
std::vector<std::string> RestartOnlyChanges(const HttpFrontOptions& a,
                                            const HttpFrontOptions& b,
                                            const FrontSettings& now,
                                            const FrontSettings& fresh) {
  std::vector<std::string> changes;
  if (a.listen_addresses != b.listen_addresses ||
      a.inherited_sockets.size() != b.inherited_sockets.size()) {
    changes.push_back("web.listen-address");
  }
  if (a.threads != b.threads || a.max_connections != b.max_connections ||
      a.max_connections_per_client != b.max_connections_per_client ||
      a.timeout != b.timeout) {
    changes.push_back("web connection limits");
  }
  if ((now.tls == nullptr) != (fresh.tls == nullptr)) {
    changes.push_back("TLS on or off");
  } else if (now.tls_priorities != fresh.tls_priorities) {
    changes.push_back("TLS versions, cipher suites or curves");
  }
  return changes;
}

}  // namespace

struct HttpFront::Impl {
  Impl(const HttpFrontOptions& o, MetricsContent& content, LogFn log)
      : options(o), state(content, log, GateLimits(o, log)) {}

  void Start();
  Daemon StartDaemon() const;

  HttpFrontOptions options;
  FrontState state;
  std::vector<UniqueFd> listeners;  // ours; inherited ones stay systemd's
  std::vector<int> serving;         // every socket served
  Daemon daemon;
  std::unique_ptr<Acceptor> acceptor;
};

void HttpFront::Impl::Start() {
  state.settings = LoadFrontSettings(options, state.log);
  if (options.inherited_sockets.empty()) {
    for (const std::string& text : options.listen_addresses) {
      for (const ListenAddress& address : ParseListenAddress(text)) {
        listeners.push_back(OpenListener(address));
        serving.push_back(listeners.back().get());
      }
    }
  } else {
    serving = options.inherited_sockets;
    // The acceptor polls, then accepts: a connection reset in between
    // must not block it.
    for (int fd : serving) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  daemon = StartDaemon();
  acceptor = std::make_unique<Acceptor>(
      serving, state.gate,
      [this](const sockaddr* address) {
        return state.Settings()->allow.Allows(address);
      },
      [this](int fd, const sockaddr* address, socklen_t length) {
        return MHD_add_connection(daemon.get(), fd, address, length) == MHD_YES;
      },
      state.log);
}

// One libmicrohttpd daemon for every listening socket, given each
// connection by the acceptor.
Daemon HttpFront::Impl::StartDaemon() const {
  const auto& settings = *state.settings;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                   MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC |
                   MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  if (settings.tls) flags |= MHD_USE_TLS;
  auto* cls = const_cast<FrontState*>(&state);
  // The gate keeps the limits; libmicrohttpd's own is a backstop with
  // room for evicted connections not yet cleaned up.
  const auto backstop =
      static_cast<unsigned>(2 * state.gate.limits().max_total + 16);
  std::vector<MHD_OptionItem> items = {
      {MHD_OPTION_THREAD_POOL_SIZE, std::max(1u, options.threads), nullptr},
      {MHD_OPTION_CONNECTION_LIMIT, backstop, nullptr},
      {MHD_OPTION_CONNECTION_TIMEOUT,
       static_cast<intptr_t>(options.timeout.count()), nullptr},
      {MHD_OPTION_NOTIFY_COMPLETED,
       reinterpret_cast<intptr_t>(&RequestCompleted), cls},
      {MHD_OPTION_NOTIFY_CONNECTION,
       reinterpret_cast<intptr_t>(&NotifyConnection), cls},
      {MHD_OPTION_UNESCAPE_CALLBACK, reinterpret_cast<intptr_t>(&UnescapeUrl),
       cls},
      {MHD_OPTION_EXTERNAL_LOGGER, reinterpret_cast<intptr_t>(&LogFromMhd),
       cls},
  };
  if (settings.tls) {
    // A single-pointer option: the pointer goes in the third member.
    items.push_back({MHD_OPTION_HTTPS_CERT_CALLBACK, 0,
                     reinterpret_cast<void*>(&RetrieveCertificate)});
    items.push_back({MHD_OPTION_HTTPS_PRIORITIES, 0,
                     const_cast<char*>(settings.tls_priorities.c_str())});
  }
  items.push_back({MHD_OPTION_END, 0, nullptr});
  MHD_Daemon* started =
      MHD_start_daemon(flags, 0, nullptr, nullptr, &HandleRequest, cls,
                       MHD_OPTION_ARRAY, items.data(), MHD_OPTION_END);
  if (started == nullptr) {
    throw std::runtime_error(
        "cannot start the HTTP server: libmicrohttpd refused to start");
  }
  return Daemon(started);
}

HttpFront::HttpFront(const HttpFrontOptions& options, MetricsContent& content,
                     LogFn log)
    : impl_(std::make_unique<Impl>(options, content, std::move(log))) {
  impl_->Start();
}

HttpFront::~HttpFront() {
  // No new connections; then suspended requests waiting for a password
  // check are resumed (refused): a daemon must not stop with suspended
  // connections; then the connections close.
  impl_->acceptor.reset();
  impl_->state.verifier.Stop();
  impl_->daemon.reset();
}

std::vector<std::string> HttpFront::Reload(const HttpFrontOptions& options) {
  const auto loaded = LoadFrontSettings(options);  // throws: nothing changes
  const auto current = impl_->state.Settings();
  auto changes = RestartOnlyChanges(impl_->options, options, *current, *loaded);
  // The running daemons keep their TLS mode and priorities until a
  // restart; new certificates, CAs, users, headers and lists apply now.
  auto fresh = std::make_shared<FrontSettings>(*loaded);
  fresh->tls_priorities = current->tls_priorities;
  if ((fresh->tls == nullptr) != (current->tls == nullptr)) {
    fresh->tls = current->tls;
  }
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.settings = std::move(fresh);
  return changes;
}

std::vector<std::string> HttpFront::Listening() const {
  std::vector<std::string> out;
  for (int fd : impl_->serving) out.push_back(DescribeListener(fd));
  return out;
}

std::vector<int> HttpFront::Ports() const {
  std::vector<int> out;
  for (int fd : impl_->serving) out.push_back(ListenerPort(fd));
  return out;
}

}  // namespace tcpstated
