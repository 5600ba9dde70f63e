#pragma once

#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tcpstated/model/log.h"
#include "tcpstated/web/web_config.h"
#include "tls_credentials.h"

namespace tcpstated {

// The certificate, key and client CAs of tls_server_config, read again
// when their files change, as exporter-toolkit reads them for each new
// connection: a renewed certificate needs no signal. Checked (three
// stat calls) at most once a second, when a connection starts. Files that
// do not load (a key written before its certificate, say) leave the last
// good credentials in use, with one warning until the files change again.
class TlsWatcher {
 public:
  TlsWatcher(TlsServerConfig config,
             std::shared_ptr<const TlsCredentials> loaded, LogFn log);

  // The credentials for a connection starting now.
  std::shared_ptr<const TlsCredentials> Current();

 private:
  using Signature = std::vector<std::string>;  // per file: inode, size, mtime
  Signature Read() const;
  void Reload(const Signature& now);

  TlsServerConfig config_;
  const LogFn log_;
  std::mutex mutex_;
  std::shared_ptr<const TlsCredentials> current_;
  Signature loaded_;  // the files' signature when last read
  std::chrono::steady_clock::time_point next_check_;
};

}  // namespace tcpstated
