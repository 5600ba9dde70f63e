#include "landing_page.h"

#include "tcpstated/version.h"

namespace tcpstated {
namespace {

// The telemetry path comes from the operator's config; escaped all the
// same.
std::string EscapeHtml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string LandingPage(const std::string& telemetry_path) {
  const std::string path = EscapeHtml(telemetry_path);
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
         "<title>tcpstated</title></head>\n<body>\n<h1>tcpstated " +
         std::string(kVersion) +
         "</h1>\n<p>TCP connection states per port, for Prometheus.</p>\n"
         "<ul>\n<li><a href=\"" +
         path + "\">Metrics</a> (" + path +
         ")</li>\n<li><a href=\"/-/healthy\">/-/healthy</a></li>\n"
         "<li><a "
         "href=\"/-/ready\">/-/ready</a></li>\n</ul>\n</body>\n</html>\n";
}

}  // namespace tcpstated
