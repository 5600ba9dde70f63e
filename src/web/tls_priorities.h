#pragma once

#include <string>

#include "tcpstated/web/web_config.h"

namespace tcpstated {

// The GnuTLS priority string that honours tls_server_config's versions,
// cipher suites (Go's names), server preference and curves. Go's suites are
// (key exchange, cipher, MAC) triples while GnuTLS takes each component
// separately, so a list whose components combine into a suite that is not
// in the list cannot be honoured exactly: that is an error naming the
// suite, not a silent widening. Names of TLS 1.3 suites (not configurable
// in Go either) are accepted and change nothing; with cipher_suites set,
// TLS 1.3 may use the AEAD ciphers of the listed suites. Throws
// WebConfigError.
std::string TlsPriorities(const TlsServerConfig& tls);

}  // namespace tcpstated
