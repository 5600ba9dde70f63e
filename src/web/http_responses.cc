#include "http_request.h"

namespace tcpstated {

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
                const char* type, bool close) {
  MHD_Response* response = MHD_create_response_from_buffer(
      body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  if (close) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
  }
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

}  // namespace tcpstated
