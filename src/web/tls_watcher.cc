#include "tls_watcher.h"

#include "tcpstated/io/files.h"
#include "tcpstated/model/one_line.h"

namespace tcpstated {
namespace {

constexpr auto kCheckEvery = std::chrono::seconds(1);
constexpr std::size_t kMaxFileBytes = 1 << 20;

std::string FileSignature(const std::string& path) {
  if (path.empty()) return "";
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) return "missing";
  return std::to_string(status.st_ino) + ":" + std::to_string(status.st_size) +
         ":" + std::to_string(status.st_mtim.tv_sec) + "." +
         std::to_string(status.st_mtim.tv_nsec);
}

}  // namespace

TlsWatcher::TlsWatcher(TlsServerConfig config,
                       std::shared_ptr<const TlsCredentials> loaded, LogFn log)
    : config_(std::move(config)),
      log_(std::move(log)),
      current_(std::move(loaded)),
      loaded_(Read()),
      next_check_(std::chrono::steady_clock::now() + kCheckEvery) {}

TlsWatcher::Signature TlsWatcher::Read() const {
  return {FileSignature(config_.cert_path), FileSignature(config_.key_path),
          FileSignature(config_.client_ca_path)};
}

std::shared_ptr<const TlsCredentials> TlsWatcher::Current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now >= next_check_) {
    next_check_ = now + kCheckEvery;
    const Signature files = Read();
    if (files != loaded_) Reload(files);
  }
  return current_;
}

void TlsWatcher::Reload(const Signature& files) {
  loaded_ = files;  // a broken pair is reported once, not every second
  try {
    TlsServerConfig fresh = config_;
    if (!fresh.cert_path.empty())
      fresh.cert_pem = ReadRegularFile(fresh.cert_path, kMaxFileBytes);
    if (!fresh.key_path.empty())
      fresh.key_pem = ReadRegularFile(fresh.key_path, kMaxFileBytes);
    if (!fresh.client_ca_path.empty()) {
      fresh.client_ca_pem =
          ReadRegularFile(fresh.client_ca_path, kMaxFileBytes);
    }
    current_ = TlsCredentials::Load(fresh);
    log_(LogLevel::kInfo,
         "http: TLS certificate, key or client CAs changed "
         "on disk: new connections use them");
  } catch (const std::exception& error) {
    try {
      log_(LogLevel::kWarn,
           OneLine(std::string("http: TLS files changed but do not load, "
                               "still using the previous ones: ") +
                   error.what()));
    } catch (...) {
    }
  }
}

}  // namespace tcpstated
