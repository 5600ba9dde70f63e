#pragma once

#include <gnutls/abstract.h>
#include <microhttpd.h>

namespace tcpstated {

struct FrontSettings;

// libmicrohttpd's and GnuTLS's callbacks; `cls` is the FrontState. None of
// them lets an exception out.

MHD_Result HandleRequest(void* cls, MHD_Connection* connection, const char* url,
                         const char* method, const char* version,
                         const char* upload_data, std::size_t* upload_data_size,
                         void** request);
void RequestCompleted(void* cls, MHD_Connection* connection, void** request,
                      MHD_RequestTerminationCode why);
// A connection starts (TLS: it pins the credentials and gets the client
// certificate policy) or ends (the ConnectionGate forgets it).
void NotifyConnection(void* cls, MHD_Connection* connection,
                      void** socket_context,
                      MHD_ConnectionNotificationCode what);
// The URL's percent-decoding, leaving "%00" as written.
std::size_t UnescapeUrl(void* cls, MHD_Connection* connection, char* text);

// TLS (http_tls.cc): the credentials a starting connection keeps (null for
// plain HTTP), and their release when it ends.
void* PinTlsCredentials(const FrontSettings& settings,
                        MHD_Connection* connection);
void ForgetTlsCredentials(void* pinned);
int RetrieveCertificate(gnutls_session_t session, const gnutls_datum_t* ca,
                        int ca_count, const gnutls_pk_algorithm_t* algorithms,
                        int algorithm_count, gnutls_pcert_st** certificates,
                        unsigned int* certificate_count, gnutls_privkey_t* key);

}  // namespace tcpstated
