#include "tls_credentials.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace tcpstated {
namespace {

constexpr unsigned kMaxChain = 16;

gnutls_datum_t Datum(const std::string& text) {
  return {reinterpret_cast<unsigned char*>(const_cast<char*>(text.data())),
          static_cast<unsigned>(text.size())};
}

[[noreturn]] void Fail(const std::string& what, int error) {
  throw WebConfigError("tls_server_config: " + what + ": " +
                       gnutls_strerror(error));
}

// The DER of a public key, to compare the key's with the certificate's.
std::string PublicKeyDer(gnutls_pubkey_t key) {
  gnutls_datum_t der{};
  if (gnutls_pubkey_export2(key, GNUTLS_X509_FMT_DER, &der) < 0) return "";
  std::string out(reinterpret_cast<char*>(der.data), der.size);
  gnutls_free(der.data);
  return out;
}

// Peer certificates as parsed X.509, freed with the object.
struct PeerChain {
  std::vector<gnutls_x509_crt_t> certs;
  ~PeerChain() {
    for (auto* crt : certs) gnutls_x509_crt_deinit(crt);
  }
};

}  // namespace

void TlsCredentials::CertificatesFree::operator()(gnutls_pcert_st* list) const {
  for (unsigned i = 0; i < count; ++i) gnutls_pcert_deinit(&list[i]);
  delete[] list;
}

TlsCredentials::~TlsCredentials() {
  if (key_ != nullptr) gnutls_privkey_deinit(key_);
  if (trust_ != nullptr) gnutls_x509_trust_list_deinit(trust_, 1);
}

std::shared_ptr<const TlsCredentials> TlsCredentials::Load(
    const TlsServerConfig& tls) {
  std::shared_ptr<TlsCredentials> c(new TlsCredentials());
  c->client_auth_ = tls.client_auth;
  c->allowed_sans_ = tls.client_allowed_sans;

  unsigned count = kMaxChain;
  auto* list = new gnutls_pcert_st[kMaxChain];
  gnutls_datum_t cert = Datum(tls.cert_pem);
  const int imported = gnutls_pcert_list_import_x509_raw(
      list, &count, &cert, GNUTLS_X509_FMT_PEM, 0);
  c->certificates_ = {list, {imported < 0 ? 0 : count}};
  if (imported < 0) Fail(tls.cert_from, imported);
  if (count == 0) Fail(tls.cert_from, GNUTLS_E_NO_CERTIFICATE_FOUND);
  c->certificate_count_ = count;

  if (int e = gnutls_privkey_init(&c->key_); e < 0) Fail("key", e);
  gnutls_datum_t key = Datum(tls.key_pem);
  if (int e = gnutls_privkey_import_x509_raw(c->key_, &key, GNUTLS_X509_FMT_PEM,
                                             nullptr, 0);
      e < 0) {
    Fail(tls.key_from, e);
  }
  gnutls_pubkey_t from_key = nullptr;
  gnutls_pubkey_init(&from_key);
  gnutls_pubkey_import_privkey(from_key, c->key_, 0, 0);
  const bool match = PublicKeyDer(from_key) == PublicKeyDer(list[0].pubkey) &&
                     !PublicKeyDer(from_key).empty();
  gnutls_pubkey_deinit(from_key);
  if (!match) {
    throw WebConfigError("tls_server_config: " + tls.key_from +
                         " is not the key of the certificate in " +
                         tls.cert_from);
  }

  if (int e = gnutls_x509_trust_list_init(&c->trust_, 0); e < 0) {
    Fail("trust list", e);
  }
  if (!tls.client_ca_pem.empty()) {
    gnutls_datum_t ca = Datum(tls.client_ca_pem);
    const int added = gnutls_x509_trust_list_add_trust_mem(
        c->trust_, &ca, nullptr, GNUTLS_X509_FMT_PEM, 0, 0);
    if (added < 0) Fail("client CA", added);
    if (added == 0) Fail("client CA", GNUTLS_E_NO_CERTIFICATE_FOUND);
  } else if (c->Verifies()) {
    // As Go does without ClientCAs: the system's roots.
    gnutls_x509_trust_list_add_system_trust(c->trust_, 0, 0);
  }
  return c;
}

gnutls_certificate_request_t TlsCredentials::RequestMode() const {
  switch (client_auth_) {
    case ClientAuth::kNoClientCert:
      return GNUTLS_CERT_IGNORE;
    case ClientAuth::kRequestClientCert:
    case ClientAuth::kVerifyClientCertIfGiven:
      return GNUTLS_CERT_REQUEST;
    case ClientAuth::kRequireAnyClientCert:
    case ClientAuth::kRequireAndVerifyClientCert:
      return GNUTLS_CERT_REQUIRE;
  }
  return GNUTLS_CERT_IGNORE;
}

bool TlsCredentials::Verifies() const {
  return client_auth_ == ClientAuth::kVerifyClientCertIfGiven ||
         client_auth_ == ClientAuth::kRequireAndVerifyClientCert ||
         !allowed_sans_.empty();
}

int TlsCredentials::VerifyPeer(gnutls_session_t session) const {
  unsigned count = 0;
  const gnutls_datum_t* raw = gnutls_certificate_get_peers(session, &count);
  if (raw == nullptr || count == 0) {
    return client_auth_ == ClientAuth::kRequireAndVerifyClientCert ||
                   client_auth_ == ClientAuth::kRequireAnyClientCert
               ? -1
               : 0;
  }
  PeerChain chain;
  for (unsigned i = 0; i < count && i < kMaxChain; ++i) {
    gnutls_x509_crt_t crt = nullptr;
    if (gnutls_x509_crt_init(&crt) < 0) return -1;
    chain.certs.push_back(crt);
    if (gnutls_x509_crt_import(crt, &raw[i], GNUTLS_X509_FMT_DER) < 0)
      return -1;
  }
  if (client_auth_ == ClientAuth::kVerifyClientCertIfGiven ||
      client_auth_ == ClientAuth::kRequireAndVerifyClientCert) {
    gnutls_typed_vdata_st purpose{};
    purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
    purpose.data = reinterpret_cast<unsigned char*>(
        const_cast<char*>(GNUTLS_KP_TLS_WWW_CLIENT));
    unsigned status = 0;
    if (gnutls_x509_trust_list_verify_crt2(
            trust_, chain.certs.data(),
            static_cast<unsigned>(chain.certs.size()), &purpose, 1, 0, &status,
            nullptr) < 0 ||
        status != 0) {
      return -1;
    }
  }
  if (!allowed_sans_.empty() && !SanAllowed(chain.certs.front())) return -1;
  return 0;
}

bool TlsCredentials::SanAllowed(gnutls_x509_crt_t leaf) const {
  for (unsigned seq = 0;; ++seq) {
    char buffer[1024];
    std::size_t size = sizeof buffer;
    const int type =
        gnutls_x509_crt_get_subject_alt_name(leaf, seq, buffer, &size, nullptr);
    if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) return false;
    if (type < 0) continue;  // too long or unparsable: not a match
    std::string value(buffer, size);
    if (type == GNUTLS_SAN_IPADDRESS) {
      char text[INET6_ADDRSTRLEN] = {};
      const int family = size == 4 ? AF_INET : size == 16 ? AF_INET6 : -1;
      if (family < 0 ||
          inet_ntop(family, buffer, text, sizeof text) == nullptr) {
        continue;
      }
      value = text;
    } else if (type != GNUTLS_SAN_DNSNAME && type != GNUTLS_SAN_RFC822NAME &&
               type != GNUTLS_SAN_URI) {
      continue;
    }
    if (std::find(allowed_sans_.begin(), allowed_sans_.end(), value) !=
        allowed_sans_.end()) {
      return true;
    }
  }
}

}  // namespace tcpstated
