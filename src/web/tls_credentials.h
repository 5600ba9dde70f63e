#pragma once

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "tcpstated/web/web_config.h"

namespace tcpstated {

// What a TLS handshake needs from tls_server_config, loaded and checked
// once (at start, check-config and reload): the certificate chain and its
// key (which must match), the client CA trust list and the client policy.
// Immutable; a connection keeps the one it started with, so a reload that
// rotates the certificate never frees one a handshake is using.
class TlsCredentials {
 public:
  // Throws WebConfigError naming what failed to load.
  static std::shared_ptr<const TlsCredentials> Load(const TlsServerConfig& tls);
  ~TlsCredentials();
  TlsCredentials(const TlsCredentials&) = delete;
  TlsCredentials& operator=(const TlsCredentials&) = delete;

  // For gnutls_certificate_retrieve_function2.
  gnutls_pcert_st* certificates() const { return certificates_.get(); }
  unsigned certificate_count() const { return certificate_count_; }
  gnutls_privkey_t key() const { return key_; }

  // Whether a client certificate is asked for (GNUTLS_CERT_IGNORE,
  // REQUEST or REQUIRE), and whether the handshake then verifies it.
  gnutls_certificate_request_t RequestMode() const;
  bool Verifies() const;
  // The verification: 0 to go on, non-zero to fail the handshake. The chain
  // must lead to a client CA and be fit for TLS client authentication;
  // with client_allowed_sans, a SAN of the leaf must be listed.
  int VerifyPeer(gnutls_session_t session) const;

 private:
  TlsCredentials() = default;
  bool SanAllowed(gnutls_x509_crt_t leaf) const;

  struct CertificatesFree {
    unsigned count;
    void operator()(gnutls_pcert_st* list) const;
  };
  std::unique_ptr<gnutls_pcert_st[], CertificatesFree> certificates_{nullptr,
                                                                     {0}};
  unsigned certificate_count_ = 0;
  gnutls_privkey_t key_ = nullptr;
  gnutls_x509_trust_list_t trust_ = nullptr;
  ClientAuth client_auth_ = ClientAuth::kNoClientCert;
  std::vector<std::string> allowed_sans_;
};

}  // namespace tcpstated
