#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tcpstated {

// A web config file that cannot be used; the message names the file, the
// key and what was expected.
class WebConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

enum class TlsVersion { kTls10, kTls11, kTls12, kTls13 };

// tls_server_config, with the files it names already read.
struct TlsServerConfig {
  bool enabled = false;
  std::string cert_pem, key_pem, client_ca_pem;
  std::string cert_from, key_from;  // "cert_file /etc/x.crt", "cert (inline)"
  // The files they were read from ("" when inline), for reading again when
  // they change (TlsWatcher).
  std::string cert_path, key_path, client_ca_path;
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  std::vector<std::string> client_allowed_sans;
  TlsVersion min_version = TlsVersion::kTls12;
  TlsVersion max_version = TlsVersion::kTls13;
  std::vector<std::string> cipher_suites;  // Go's names
  bool prefer_server_cipher_suites = true;
  std::vector<std::string> curve_preferences;  // Go's names
};

// exporter-toolkit's web configuration file (the --web.config.file of
// node_exporter and Prometheus), as strictly as exporter-toolkit reads it:
// unknown keys and bad values are errors. A node_exporter web-config.yml
// works unchanged.
struct WebConfig {
  TlsServerConfig tls;
  bool http2 = true;  // accepted; this server speaks HTTP/1.1 only
  // http_server_config.headers, checked against exporter-toolkit's list.
  std::vector<std::pair<std::string, std::string>> headers;
  // basic_auth_users: user -> bcrypt hash (checked by BasicAuth).
  std::vector<std::pair<std::string, std::string>> users;
  // rate_limit: at most `burst` requests at once, one more per `interval`;
  // an interval of 0 disables it.
  std::chrono::nanoseconds rate_interval{0};
  int rate_burst = 0;
};

// Reads and checks a web config file; relative paths in it are relative to
// its directory. Throws WebConfigError.
WebConfig LoadWebConfig(const std::string& path);

// The same from text, with files resolved against `directory`: what the
// fuzzer drives.
WebConfig ParseWebConfig(const std::string& yaml, const std::string& directory,
                         const std::string& name = "web config");

}  // namespace tcpstated
