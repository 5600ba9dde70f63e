#include "tls_priorities.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

namespace tcpstated {
namespace {

struct Suite {
  const char* go_name;
  const char* kx;
  const char* cipher;
  const char* mac;
};

// Go's crypto/tls CipherSuites() for TLS 1.0-1.2, as GnuTLS components.
constexpr Suite kSuites[] = {
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "RSA", "AES-128-CBC", "SHA1"},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", "RSA", "AES-256-CBC", "SHA1"},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "RSA", "AES-128-GCM", "AEAD"},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", "RSA", "AES-256-GCM", "AEAD"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA", "AES-128-CBC",
     "SHA1"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA", "AES-256-CBC",
     "SHA1"},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA", "AES-128-CBC", "SHA1"},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA", "AES-256-CBC", "SHA1"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA", "AES-128-GCM",
     "AEAD"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA", "AES-256-GCM",
     "AEAD"},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA", "AES-128-GCM",
     "AEAD"},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA", "AES-256-GCM",
     "AEAD"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA",
     "CHACHA20-POLY1305", "AEAD"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA",
     "CHACHA20-POLY1305", "AEAD"},
    // Go's older spellings of the last two.
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "ECDHE-RSA", "CHACHA20-POLY1305",
     "AEAD"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "ECDHE-ECDSA",
     "CHACHA20-POLY1305", "AEAD"},
};

// Go's default for TLS 1.0-1.2 (crypto/tls since Go 1.22): what
// exporter-toolkit's servers offer when cipher_suites is not set. ECDHE
// only, with AES-GCM, ChaCha20-Poly1305 or AES-CBC-SHA1; no AES-CCM (which
// GnuTLS's NORMAL adds) and no RSA key exchange.
const std::vector<std::string> kGoDefaultSuites = {
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
};

constexpr const char* kTls13Suites[] = {"TLS_AES_128_GCM_SHA256",
                                        "TLS_AES_256_GCM_SHA384",
                                        "TLS_CHACHA20_POLY1305_SHA256"};

const char* VersionName(TlsVersion v) {
  switch (v) {
    case TlsVersion::kTls10:
      return "VERS-TLS1.0";
    case TlsVersion::kTls11:
      return "VERS-TLS1.1";
    case TlsVersion::kTls12:
      return "VERS-TLS1.2";
    case TlsVersion::kTls13:
      return "VERS-TLS1.3";
  }
  return "";
}

std::string CipherPart(const std::vector<std::string>& suites) {
  using Triple = std::tuple<std::string, std::string, std::string>;
  std::set<Triple> listed;
  std::vector<std::string> kx, ciphers, macs;
  const auto add = [](std::vector<std::string>& list, const std::string& s) {
    if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
  };
  for (const std::string& name : suites) {
    if (std::find(std::begin(kTls13Suites), std::end(kTls13Suites), name) !=
        std::end(kTls13Suites)) {
      continue;
    }
    const auto it =
        std::find_if(std::begin(kSuites), std::end(kSuites),
                     [&](const Suite& s) { return name == s.go_name; });
    if (it == std::end(kSuites)) {
      throw WebConfigError(
          "tls_server_config.cipher_suites: unknown cipher \"" + name + "\"");
    }
    listed.insert({it->kx, it->cipher, it->mac});
    add(kx, it->kx);
    add(ciphers, it->cipher);
    add(macs, it->mac);
  }
  if (listed.empty()) return "";
  for (const Suite& s : kSuites) {
    const bool implied =
        std::find(kx.begin(), kx.end(), s.kx) != kx.end() &&
        std::find(ciphers.begin(), ciphers.end(), s.cipher) != ciphers.end() &&
        std::find(macs.begin(), macs.end(), s.mac) != macs.end();
    if (implied && !listed.contains({s.kx, s.cipher, s.mac})) {
      throw WebConfigError(
          std::string("tls_server_config.cipher_suites: GnuTLS cannot allow "
                      "this list without also allowing ") +
          s.go_name + "; add it, or remove the suites it is made from");
    }
  }
  // GnuTLS applies the cipher list to TLS 1.3 as well: TLS 1.3 may use the
  // AEAD ciphers of the listed suites (and none if none is listed; clients
  // then settle on TLS 1.2). Widening the list for 1.3 would widen 1.2.
  std::string part = ":-KX-ALL:-CIPHER-ALL:-MAC-ALL";
  for (const auto& s : kx) part += ":+" + s;
  for (const auto& s : ciphers) part += ":+" + s;
  for (const auto& s : macs) part += ":+" + s;
  return part;
}

std::string CurvePart(const TlsServerConfig& tls) {
  static const std::map<std::string, std::string> kCurves = {
      {"CurveP256", "GROUP-SECP256R1"},
      {"CurveP384", "GROUP-SECP384R1"},
      {"CurveP521", "GROUP-SECP521R1"},
      {"X25519", "GROUP-X25519"}};
  if (tls.curve_preferences.empty()) return "";
  std::string part = ":-GROUP-ALL";
  for (const std::string& name : tls.curve_preferences) {
    const auto it = kCurves.find(name);
    if (it == kCurves.end()) {
      throw WebConfigError(
          "tls_server_config.curve_preferences: unknown curve \"" + name +
          "\" (CurveP256, CurveP384, CurveP521, X25519)");
    }
    part += ":+" + it->second;
  }
  return part;
}

}  // namespace

std::string TlsPriorities(const TlsServerConfig& tls) {
  std::string priorities = "NORMAL:-VERS-ALL";
  for (int v = static_cast<int>(tls.max_version);
       v >= static_cast<int>(tls.min_version); --v) {
    priorities += std::string(":+") + VersionName(static_cast<TlsVersion>(v));
  }
  priorities += CipherPart(tls.cipher_suites.empty() ? kGoDefaultSuites
                                                     : tls.cipher_suites) +
                CurvePart(tls);
  if (tls.prefer_server_cipher_suites) priorities += ":%SERVER_PRECEDENCE";
  return priorities;
}

}  // namespace tcpstated
