// Fuzzes what the front parses from a request: the Authorization header
// (base64, user:password) and Accept-Encoding. The first byte picks which.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "web/request_headers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1,
                              size - 1);
  if (data[0] & 1) {
    const auto credentials = tcpstated::ParseBasicAuthorization(text);
    if (credentials && credentials->user.find(':') != std::string::npos) {
      __builtin_trap();  // the user ends at the first colon
    }
  } else {
    tcpstated::AcceptsGzip(text);
  }
  return 0;
}
