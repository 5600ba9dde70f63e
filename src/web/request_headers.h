#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tcpstated {

// Pure parsers for the request headers the front reads; no I/O, so that
// they can be fuzzed and tested alone.

struct BasicCredentials {
  std::string user;
  std::string password;  // may hold any byte, NUL included
};

// "Basic base64(user:password)" (scheme case-insensitive, RFC 7617);
// nullopt for anything else: another scheme, bad base64, no colon, or a
// header longer than 4 KiB.
std::optional<BasicCredentials> ParseBasicAuthorization(
    std::string_view header);

// Whether an Accept-Encoding value admits gzip: "gzip" or "*" listed with
// a q-value above 0 (and gzip not explicitly refused with q=0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace tcpstated
