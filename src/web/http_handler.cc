// One request: allow list (already at accept), rate limit, basic auth (the
// bcrypt check on the verifier's thread, the connection suspended meanwhile),
// then the route.
#include <atomic>
#include <cstring>

#include "front_state.h"
#include "http_callbacks.h"
#include "landing_page.h"
#include "request_headers.h"

namespace tcpstated {
namespace {

enum class AuthState { kUnchecked, kWaiting, kAllowed, kDenied, kBusy };

struct Request {
  std::shared_ptr<const FrontSettings> settings;
  std::atomic<AuthState> auth{AuthState::kUnchecked};
};

MHD_Result Queue(MHD_Connection* connection, unsigned status,
                 MHD_Response* response, const FrontSettings& settings) {
  if (response == nullptr) return MHD_NO;
  for (const auto& [name, value] : settings.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  const MHD_Result queued = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return queued;
}

MHD_Result Text(MHD_Connection* connection, unsigned status,
                const std::string& body, const FrontSettings& settings,
                const char* type = "text/plain; charset=utf-8") {
  MHD_Response* response = MHD_create_response_from_buffer(
      body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  if (status == MHD_HTTP_UNAUTHORIZED) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                            "Basic realm=\"tcpstated\"");
  } else if (status == MHD_HTTP_METHOD_NOT_ALLOWED) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
  } else if (status == MHD_HTTP_SERVICE_UNAVAILABLE ||
             status == MHD_HTTP_TOO_MANY_REQUESTS) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  }
  return Queue(connection, status, response, settings);
}

// The shared part and this scrape's tail in one response, without copying
// the shared part.
MHD_Result Metrics(MHD_Connection* connection, FrontState& front,
                   const FrontSettings& settings) {
  const char* accept = MHD_lookup_connection_value(
      connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
  const bool gzip = accept != nullptr && AcceptsGzip(accept);
  auto body = std::make_unique<ScrapeBody>(front.content.Body(gzip));
  const MHD_IoVec parts[] = {{body->shared.data(), body->shared.size()},
                             {body->tail.data(), body->tail.size()}};
  MHD_Response* response = MHD_create_response_from_iovec(
      parts, 2, [](void* p) { delete static_cast<ScrapeBody*>(p); },
      body.get());
  if (response == nullptr) return MHD_NO;
  body.release();  // the response frees it
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                          "text/plain; version=0.0.4; charset=utf-8");
  MHD_add_response_header(response, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
  if (gzip) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
  }
  return Queue(connection, MHD_HTTP_OK, response, settings);
}

MHD_Result Route(MHD_Connection* connection, FrontState& front,
                 const FrontSettings& settings, const std::string& path) {
  if (path == settings.telemetry_path)
    return Metrics(connection, front, settings);
  if (path == "/") {
    return Text(connection, MHD_HTTP_OK, LandingPage(settings.telemetry_path),
                settings, "text/html; charset=utf-8");
  }
  if (path == "/-/healthy")
    return Text(connection, MHD_HTTP_OK, "OK\n", settings);
  if (path == "/-/ready") {
    return front.content.Ready()
               ? Text(connection, MHD_HTTP_OK, "Ready\n", settings)
               : Text(connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                      "Not ready: no collection has succeeded yet\n", settings);
  }
  return Text(connection, MHD_HTTP_NOT_FOUND, "Not found\n", settings);
}

// Whether the request may go on; otherwise it is answered (or suspended
// for the verifier) and the result is what the handler returns.
bool Authorized(MHD_Connection* connection, FrontState& front, Request& request,
                MHD_Result& result) {
  const FrontSettings& settings = *request.settings;
  if (!settings.auth) return true;
  switch (request.auth.load()) {
    case AuthState::kAllowed:
      return true;
    case AuthState::kDenied:
      result =
          Text(connection, MHD_HTTP_UNAUTHORIZED, "Unauthorized\n", settings);
      return false;
    case AuthState::kBusy:
      result = Text(connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                    "Too many password checks at once\n", settings);
      return false;
    case AuthState::kWaiting:
      result = MHD_YES;
      return false;
    case AuthState::kUnchecked:
      break;
  }
  const char* header = MHD_lookup_connection_value(
      connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  auto credentials =
      header == nullptr ? std::nullopt : ParseBasicAuthorization(header);
  if (!credentials) {
    result =
        Text(connection, MHD_HTTP_UNAUTHORIZED, "Unauthorized\n", settings);
    return false;
  }
  if (settings.auth->Cached(*credentials)) return true;
  // Suspended first: the verifier may finish (and resume) at once.
  request.auth = AuthState::kWaiting;
  MHD_suspend_connection(connection);
  const bool queued = front.verifier.Submit(
      settings.auth, std::move(*credentials),
      [connection, &request](bool allowed) {
        request.auth = allowed ? AuthState::kAllowed : AuthState::kDenied;
        MHD_resume_connection(connection);
      });
  if (!queued) {
    request.auth = AuthState::kBusy;
    MHD_resume_connection(connection);
  }
  result = MHD_YES;
  return false;
}

}  // namespace

MHD_Result HandleRequest(void* cls, MHD_Connection* connection, const char* url,
                         const char* method, const char*, const char*,
                         std::size_t* upload_data_size, void** request_slot) {
  try {
    auto& front = *static_cast<FrontState*>(cls);
    if (*request_slot == nullptr) {
      *request_slot = new Request{front.Settings()};
      return MHD_YES;  // headers seen; called again for the body, if any
    }
    auto& request = *static_cast<Request*>(*request_slot);
    const FrontSettings& settings = *request.settings;
    if (*upload_data_size != 0) {  // a body nobody asked for: skipped
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (std::strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
        std::strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
      return Text(connection, MHD_HTTP_METHOD_NOT_ALLOWED,
                  "Method not allowed\n", settings);
    }
    if (request.auth == AuthState::kUnchecked &&
        !front.limiter.Allow(settings)) {
      return Text(connection, MHD_HTTP_TOO_MANY_REQUESTS, "Too many requests\n",
                  settings);
    }
    MHD_Result result = MHD_NO;
    if (!Authorized(connection, front, request, result)) return result;
    return Route(connection, front, settings, url);
  } catch (...) {
    return MHD_NO;  // out of memory: the connection is closed
  }
}

void RequestCompleted(void*, MHD_Connection*, void** request_slot,
                      MHD_RequestTerminationCode) {
  delete static_cast<Request*>(*request_slot);
  *request_slot = nullptr;
}

MHD_Result AcceptPolicy(void* cls, const sockaddr* address, socklen_t) {
  try {
    return static_cast<FrontState*>(cls)->Settings()->allow.Allows(address)
               ? MHD_YES
               : MHD_NO;
  } catch (...) {
    return MHD_NO;
  }
}

}  // namespace tcpstated
