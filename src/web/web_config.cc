#include "tcpstated/web/web_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

#include "tcpstated/io/files.h"
#include "tcpstated/model/duration.h"
#include "tcpstated/model/one_line.h"
#include "yaml_document.h"
#include "yaml_fields.h"

namespace tcpstated {
namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;

std::string FullPath(const std::string& directory, const std::string& path) {
  return path.empty() || path.front() == '/' ? path : directory + "/" + path;
}

std::string ReadNamedFile(const Fields& f, const std::string& key,
                          const std::string& directory,
                          const std::string& path) {
  const std::string full = FullPath(directory, path);
  try {
    return ReadRegularFile(full, kMaxFileBytes);
  } catch (const FileProblem& problem) {
    f.Fail(key, problem.what());
  }
}

ClientAuth ParseClientAuth(const Fields& f, const std::string& key,
                           const std::string& value) {
  static const std::map<std::string, ClientAuth> kNames = {
      {"", ClientAuth::kNoClientCert},
      {"NoClientCert", ClientAuth::kNoClientCert},
      {"RequestClientCert", ClientAuth::kRequestClientCert},
      {"RequireAnyClientCert", ClientAuth::kRequireAnyClientCert},
      {"RequireClientCert", ClientAuth::kRequireAnyClientCert},
      {"VerifyClientCertIfGiven", ClientAuth::kVerifyClientCertIfGiven},
      {"RequireAndVerifyClientCert", ClientAuth::kRequireAndVerifyClientCert},
  };
  const auto it = kNames.find(value);
  if (it == kNames.end()) {
    f.Fail(key, "\"" + value +
                    "\" is not one of NoClientCert, RequestClientCert, "
                    "RequireAnyClientCert, VerifyClientCertIfGiven, "
                    "RequireAndVerifyClientCert");
  }
  return it->second;
}

TlsVersion ParseVersion(const Fields& f, const std::string& key,
                        const std::string& value) {
  static const std::map<std::string, TlsVersion> kNames = {
      {"TLS10", TlsVersion::kTls10},
      {"TLS11", TlsVersion::kTls11},
      {"TLS12", TlsVersion::kTls12},
      {"TLS13", TlsVersion::kTls13}};
  const auto it = kNames.find(value);
  if (it == kNames.end()) {
    f.Fail(key, "\"" + value + "\" is not one of TLS10, TLS11, TLS12, TLS13");
  }
  return it->second;
}

TlsServerConfig ParseTls(const YAML::Node& node, const std::string& file,
                         const std::string& directory) {
  TlsServerConfig tls;
  const Fields f(file, "tls_server_config");
  std::string cert_file, key_file, ca_file, cert, key, ca;
  f.Each(node, [&](const std::string& k, const YAML::Node& v) {
    if (k == "cert_file")
      cert_file = f.String(k, v);
    else if (k == "key_file")
      key_file = f.String(k, v);
    else if (k == "client_ca_file")
      ca_file = f.String(k, v);
    else if (k == "cert")
      cert = f.String(k, v);
    else if (k == "key")
      key = f.String(k, v);
    else if (k == "client_ca")
      ca = f.String(k, v);
    else if (k == "client_auth_type")
      tls.client_auth = ParseClientAuth(f, k, f.String(k, v));
    else if (k == "client_allowed_sans")
      tls.client_allowed_sans = f.Strings(k, v);
    else if (k == "min_version")
      tls.min_version = ParseVersion(f, k, f.String(k, v));
    else if (k == "max_version")
      tls.max_version = ParseVersion(f, k, f.String(k, v));
    else if (k == "cipher_suites")
      tls.cipher_suites = f.Strings(k, v);
    else if (k == "prefer_server_cipher_suites")
      tls.prefer_server_cipher_suites = f.Bool(k, v);
    else if (k == "curve_preferences")
      tls.curve_preferences = f.Strings(k, v);
    else
      return false;
    return true;
  });
  tls.enabled = !cert_file.empty() || !cert.empty() || !key_file.empty() ||
                !key.empty() || !ca_file.empty() || !ca.empty() ||
                tls.client_auth != ClientAuth::kNoClientCert;
  if (!tls.enabled) return tls;
  if (!cert_file.empty() && !cert.empty())
    f.Fail("cert", "give cert or cert_file, not both");
  if (!key_file.empty() && !key.empty())
    f.Fail("key", "give key or key_file, not both");
  if (!ca_file.empty() && !ca.empty())
    f.Fail("client_ca", "give client_ca or client_ca_file, not both");
  if (cert_file.empty() && cert.empty())
    f.Fail("cert_file", "missing (or cert)");
  if (key_file.empty() && key.empty()) f.Fail("key_file", "missing (or key)");
  tls.cert_pem =
      cert.empty() ? ReadNamedFile(f, "cert_file", directory, cert_file) : cert;
  tls.key_pem =
      key.empty() ? ReadNamedFile(f, "key_file", directory, key_file) : key;
  tls.client_ca_pem =
      ca.empty() && !ca_file.empty()
          ? ReadNamedFile(f, "client_ca_file", directory, ca_file)
          : ca;
  tls.cert_path = cert.empty() ? FullPath(directory, cert_file) : "";
  tls.key_path = key.empty() ? FullPath(directory, key_file) : "";
  tls.client_ca_path = ca.empty() ? FullPath(directory, ca_file) : "";
  tls.cert_from = cert.empty() ? "cert_file " + cert_file : "cert (inline)";
  tls.key_from = key.empty() ? "key_file " + key_file : "key (inline)";
  if (!tls.client_ca_pem.empty() &&
      tls.client_auth == ClientAuth::kNoClientCert) {
    f.Fail("client_auth_type",
           "client CAs are configured without a client auth policy");
  }
  if (tls.min_version > tls.max_version)
    f.Fail("min_version", "is above max_version");
  return tls;
}

void ParseHttp(const YAML::Node& node, const std::string& file,
               WebConfig& config) {
  // exporter-toolkit's list of settable headers, and the values allowed.
  static const std::map<std::string, std::vector<std::string>> kHeaders = {
      {"Strict-Transport-Security", {}},
      {"X-Content-Type-Options", {"nosniff"}},
      {"X-Frame-Options", {"deny", "sameorigin"}},
      {"X-XSS-Protection", {}},
      {"Content-Security-Policy", {}},
  };
  const Fields f(file, "http_server_config");
  f.Each(node, [&](const std::string& k, const YAML::Node& v) {
    if (k == "http2") {
      config.http2 = f.Bool(k, v);
      return true;
    }
    if (k != "headers") return false;
    const Fields h(file, "http_server_config.headers");
    h.Each(v, [&](const std::string& name, const YAML::Node& value) {
      const auto it = kHeaders.find(name);
      if (it == kHeaders.end())
        h.Fail(name, "this header cannot be configured");
      const std::string text = h.String(name, value);
      if (!it->second.empty() && std::find(it->second.begin(), it->second.end(),
                                           text) == it->second.end()) {
        h.Fail(name, "\"" + text + "\" is not an allowed value");
      }
      if (text.find_first_of("\r\n") != std::string::npos)
        h.Fail(name, "a value is one line");
      if (!text.empty()) config.headers.emplace_back(name, text);
      return true;
    });
    return true;
  });
}

void ParseRateLimit(const YAML::Node& node, const std::string& file,
                    WebConfig& config) {
  const Fields f(file, "rate_limit");
  f.Each(node, [&](const std::string& k, const YAML::Node& v) {
    if (k == "interval") {
      const auto interval = ParseDuration(f.String(k, v));
      if (!interval) f.Fail(k, "expected a duration such as 1s or 100ms");
      config.rate_interval = *interval;
    } else if (k == "burst") {
      int burst = 0;
      if (!v.IsScalar() || !YAML::convert<int>::decode(v, burst) || burst < 0) {
        f.Fail(k, "expected a whole number");
      }
      config.rate_burst = burst;
    } else {
      return false;
    }
    return true;
  });
  if (config.rate_interval.count() > 0 && config.rate_burst == 0) {
    f.Fail("burst", "must be at least 1 when an interval is set");
  }
}

}  // namespace

WebConfig ParseWebConfig(const std::string& yaml, const std::string& directory,
                         const std::string& name) {
  const YAML::Node root = LoadOneYamlDocument(yaml, name);
  WebConfig config;
  try {
    const Fields f(name, "");
    f.Each(root, [&](const std::string& k, const YAML::Node& v) {
      if (k == "tls_server_config")
        config.tls = ParseTls(v, name, directory);
      else if (k == "http_server_config")
        ParseHttp(v, name, config);
      else if (k == "rate_limit")
        ParseRateLimit(v, name, config);
      else if (k == "basic_auth_users") {
        const Fields users(name, "basic_auth_users");
        users.Each(v, [&](const std::string& user, const YAML::Node& hash) {
          config.users.emplace_back(user, users.String(user, hash));
          return true;
        });
      } else {
        return false;
      }
      return true;
    });
  } catch (const YAML::Exception& error) {
    throw WebConfigError(OneLine(name + ": " + error.what()));
  }
  return config;
}

WebConfig LoadWebConfig(const std::string& path) {
  std::string text;
  try {
    text = ReadRegularFile(path, kMaxFileBytes);
  } catch (const FileProblem& problem) {
    throw WebConfigError(std::string("web config file ") + problem.what());
  }
  const auto slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "."
                                : slash == 0               ? "/"
                                             : path.substr(0, slash);
  return ParseWebConfig(text, directory, "web config " + path);
}

}  // namespace tcpstated
