// Connections as libmicrohttpd reports them: started (TLS credentials
// pinned) and closed (the ConnectionGate's slot freed, before the socket
// is: the gate never shuts down a number the kernel has given to another).
#include "front_state.h"
#include "http_callbacks.h"
#include "request_framing.h"

namespace tcpstated {

void NotifyConnection(void* cls, MHD_Connection* connection,
                      void** socket_context,
                      MHD_ConnectionNotificationCode what) {
  auto& front = *static_cast<FrontState*>(cls);
  if (what == MHD_CONNECTION_NOTIFY_CLOSED) {
    ForgetTlsCredentials(*socket_context);
    *socket_context = nullptr;
    if (const auto* info = MHD_get_connection_info(
            connection, MHD_CONNECTION_INFO_CONNECTION_FD)) {
      front.gate.Closed(info->connect_fd);
    }
    return;
  }
  try {
    *socket_context = PinTlsCredentials(*front.Settings(), connection);
  } catch (...) {
    // Out of memory: the handshake finds no credentials and fails.
  }
}

std::size_t UnescapeUrl(void*, MHD_Connection*, char* text) {
  return DecodePercentKeepingNul(text);
}

}  // namespace tcpstated
