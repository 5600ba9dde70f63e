#pragma once

#include <string>

namespace tcpstated {

// The HTML of "/": the name and version, a link to the telemetry path and
// the health endpoints.
std::string LandingPage(const std::string& telemetry_path);

}  // namespace tcpstated
