#pragma once

#include <gnutls/abstract.h>
#include <microhttpd.h>

namespace tcpstated {

// libmicrohttpd's and GnuTLS's callbacks; `cls` is the FrontState. None of
// them lets an exception out.

MHD_Result HandleRequest(void* cls, MHD_Connection* connection, const char* url,
                         const char* method, const char* version,
                         const char* upload_data, std::size_t* upload_data_size,
                         void** request);
void RequestCompleted(void* cls, MHD_Connection* connection, void** request,
                      MHD_RequestTerminationCode why);
// The allow list, applied before anything is read (or a TLS handshake
// made): a refused client gets its connection closed.
MHD_Result AcceptPolicy(void* cls, const sockaddr* address, socklen_t length);
// TLS: pins the connection's credentials at its start and sets the client
// certificate policy on its session.
void NotifyConnection(void* cls, MHD_Connection* connection,
                      void** socket_context,
                      MHD_ConnectionNotificationCode what);
int RetrieveCertificate(gnutls_session_t session, const gnutls_datum_t* ca,
                        int ca_count, const gnutls_pk_algorithm_t* algorithms,
                        int algorithm_count, gnutls_pcert_st** certificates,
                        unsigned int* certificate_count, gnutls_privkey_t* key);

}  // namespace tcpstated
