// The TLS side of the front: each connection pins the credentials that
// were current when it started (so a reload or a renewed certificate can
// replace them without freeing any a handshake uses) and gets its
// client-certificate policy.
#include <gnutls/gnutls.h>

#include <memory>

#include "front_state.h"
#include "http_callbacks.h"

namespace tcpstated {
namespace {

struct ConnectionContext {
  std::shared_ptr<const TlsCredentials> tls;
};

const TlsCredentials* CredentialsOf(gnutls_session_t session) {
  // libmicrohttpd keeps its connection in the session's pointer.
  auto* connection =
      static_cast<MHD_Connection*>(gnutls_session_get_ptr(session));
  if (connection == nullptr) return nullptr;
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (info == nullptr || info->socket_context == nullptr) return nullptr;
  return static_cast<ConnectionContext*>(info->socket_context)->tls.get();
}

int VerifyClient(gnutls_session_t session) {
  const TlsCredentials* tls = CredentialsOf(session);
  return tls == nullptr ? -1 : tls->VerifyPeer(session);
}

}  // namespace

void* PinTlsCredentials(const FrontSettings& settings,
                        MHD_Connection* connection) {
  if (!settings.tls) return nullptr;
  auto context = std::make_unique<ConnectionContext>();
  context->tls = settings.tls->Current();
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_GNUTLS_SESSION);
  if (info != nullptr && info->tls_session != nullptr) {
    auto session = static_cast<gnutls_session_t>(info->tls_session);
    gnutls_certificate_server_set_request(session, context->tls->RequestMode());
    if (context->tls->Verifies()) {
      gnutls_session_set_verify_function(session, &VerifyClient);
    }
  }
  return context.release();
}

void ForgetTlsCredentials(void* pinned) {
  delete static_cast<ConnectionContext*>(pinned);
}

int RetrieveCertificate(gnutls_session_t session, const gnutls_datum_t*, int,
                        const gnutls_pk_algorithm_t*, int,
                        gnutls_pcert_st** certificates,
                        unsigned int* certificate_count,
                        gnutls_privkey_t* key) {
  const TlsCredentials* tls = CredentialsOf(session);
  if (tls == nullptr) return -1;
  *certificates = tls->certificates();
  *certificate_count = tls->certificate_count();
  *key = tls->key();
  return 0;
}

}  // namespace tcpstated
