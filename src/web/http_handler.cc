// One request: its framing checked, then the rate limit, basic auth
// (http_auth.cc) and the route.
#include <chrono>
#include <cstring>
#include <new>

#include "client_key.h"
#include "http_callbacks.h"
#include "http_request.h"
#include "landing_page.h"
#include "request_framing.h"
#include "request_headers.h"

namespace tcpstated {
namespace {

MHD_Result CollectHeader(void* list, MHD_ValueKind, const char* name,
                         const char* value) {
  static_cast<HeaderList*>(list)->emplace_back(name, value ? value : "");
  return MHD_YES;
}

// Out of memory for a scrape's body: 503 from a buffer that needs none,
// and one log line a minute at most.
MHD_Result OutOfMemory(MHD_Connection* connection, FrontState& front) {
  static constexpr char kBody[] = "Out of memory; try again\n";
  static std::atomic<std::int64_t> last_logged{-60};
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::steady_clock::now().time_since_epoch())
          .count();
  std::int64_t before = last_logged.load();
  if (now - before >= 60 && last_logged.compare_exchange_strong(before, now)) {
    try {
      front.log(LogLevel::kError,
                "http: out of memory serving a scrape: answered 503 (this "
                "line once a minute at most)");
    } catch (...) {
    }
  }
  MHD_Response* response = MHD_create_response_from_buffer(
      sizeof kBody - 1, const_cast<char*>(kBody), MHD_RESPMEM_PERSISTENT);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_RETRY_AFTER, "1");
  const MHD_Result queued =
      MHD_queue_response(connection, MHD_HTTP_SERVICE_UNAVAILABLE, response);
  MHD_destroy_response(response);
  return queued;
}

// The shared part and this scrape's tail in one response, without copying
// the shared part.
MHD_Result Metrics(MHD_Connection* connection, FrontState& front,
                   const FrontSettings& settings) {
  const char* accept = MHD_lookup_connection_value(
      connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
  const bool gzip = accept != nullptr && AcceptsGzip(accept);
  std::unique_ptr<ScrapeBody> body;
  try {
    body = std::make_unique<ScrapeBody>(front.content.Body(gzip));
  } catch (const std::bad_alloc&) {
    return OutOfMemory(connection, front);
  }
  const MHD_IoVec parts[] = {{body->shared.data(), body->shared.size()},
                             {body->tail.data(), body->tail.size()}};
  MHD_Response* response = MHD_create_response_from_iovec(
      parts, 2, [](void* p) { delete static_cast<ScrapeBody*>(p); },
      body.get());
  if (response == nullptr) return OutOfMemory(connection, front);
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

// The headers are in: the connection completed a request (and is no
// longer evictable), and the request is framed so that it can be read.
// Returns the status to refuse it with, or 0.
unsigned FirstLook(MHD_Connection* connection, FrontState& front,
                   const char* version) {
  if (const auto* info = MHD_get_connection_info(
          connection, MHD_CONNECTION_INFO_CONNECTION_FD)) {
    front.gate.RequestSeen(info->connect_fd);
  }
  HeaderList headers;
  MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectHeader,
                            &headers);
  return FramingProblem(version ? version : "", headers);
}

std::string ClientOf(MHD_Connection* connection) {
  const auto* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  return ClientKey(info ? info->client_addr : nullptr);
}

}  // namespace

MHD_Result HandleRequest(void* cls, MHD_Connection* connection, const char* url,
                         const char* method, const char* version, const char*,
                         std::size_t* upload_data_size, void** request_slot) {
  try {
    auto& front = *static_cast<FrontState*>(cls);
    if (*request_slot == nullptr) {
      auto request = std::make_unique<Request>();
      request->settings = front.Settings();
      if (const unsigned status = FirstLook(connection, front, version)) {
        return Text(connection, status,
                    status == 501 ? "Transfer-Encoding not implemented\n"
                                  : "Bad request framing\n",
                    *request->settings, "text/plain; charset=utf-8", true);
      }
      request->client = ClientOf(connection);
      *request_slot = request.release();
      return MHD_YES;  // called again for the body, if any
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
    return MHD_NO;  // out of memory outside a scrape: the connection closes
  }
}

void RequestCompleted(void*, MHD_Connection*, void** request_slot,
                      MHD_RequestTerminationCode) {
  delete static_cast<Request*>(*request_slot);
  *request_slot = nullptr;
}

}  // namespace tcpstated
