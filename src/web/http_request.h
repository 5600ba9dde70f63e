#pragma once

#include <microhttpd.h>

#include <atomic>
#include <memory>
#include <string>

#include "front_state.h"

namespace tcpstated {

// What the front keeps for one request between libmicrohttpd's calls.
enum class AuthState {
  kUnchecked,
  kWaiting,
  kAllowed,
  kDenied,
  kBusy,
  kSlowed
};

struct Request {
  std::shared_ptr<const FrontSettings> settings;
  std::string client;  // ClientKey
  std::atomic<AuthState> auth{AuthState::kUnchecked};
};

// Answers with a short text body and the configured headers; a status
// that asks for it (401, 405, 429, 503) gets its header too. `close` ends
// the connection after the answer (the request could not be framed).
MHD_Result Text(MHD_Connection* connection, unsigned status,
                const std::string& body, const FrontSettings& settings,
                const char* type = "text/plain; charset=utf-8",
                bool close = false);

// Queues `response` (consumed) with the configured headers.
MHD_Result Queue(MHD_Connection* connection, unsigned status,
                 MHD_Response* response, const FrontSettings& settings);

// Basic auth for `request`: true when it may go on; otherwise it was
// answered (or suspended while its password is checked) and `result` is
// what the handler returns.
bool Authorized(MHD_Connection* connection, FrontState& front, Request& request,
                MHD_Result& result);

}  // namespace tcpstated
