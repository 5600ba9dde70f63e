#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace tcpstated {

// Pure checks of how a request is framed, made before its body is read;
// no I/O, so they can be fuzzed and tested alone.

using HeaderList = std::vector<std::pair<std::string_view, std::string_view>>;

// 0 when this server can read the request as its headers frame it;
// otherwise the status to answer (and close) with: 400 for Content-Length
// beside Transfer-Encoding, Content-Lengths that differ, more than one
// Host, or HTTP/1.1 without Host; 501 for a Transfer-Encoding other than
// chunked. Request smuggling lives on a proxy and a server reading such
// requests differently: this one reads none of them.
unsigned FramingProblem(std::string_view version, const HeaderList& headers);

// Percent-decodes `text` in place and returns its new length, except that
// "%00" stays as written: a decoded NUL would end the path early for C
// string compares ("/metrics%00" is not "/metrics"). Malformed escapes
// stay as written.
std::size_t DecodePercentKeepingNul(char* text);

}  // namespace tcpstated
