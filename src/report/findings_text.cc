#include "report_sections.h"
#include "tcpstated/detect/explain.h"
#include "tcpstated/detect/finding_text.h"

namespace tcpstated {
namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(c));
  return out;
}

}  // namespace

std::string FindingsText(const Snapshot& snapshot) {
  if (snapshot.findings.empty()) {
    return "No findings: no queue at its limit, no pileup, ports to spare "
           "toward every destination.\n\n";
  }
  std::vector<Finding> groups = GroupFindings(snapshot.findings);
  std::string out = "Findings, most severe first\n";
  int n = 0;
  for (Finding& f : groups) {
    Explain(f, snapshot);
    out += std::to_string(++n) + ". " + Upper(SeverityName(f.severity)) + " " +
           Headline(f) + "\n";
    out += "   how much: " + HowMuch(f, snapshot) + "\n";
    const std::string who = Who(f);
    const std::string nobody = NobodyFound(f);
    if (!who.empty()) {
      out += "   who: " + who + "\n";
    } else if (!nobody.empty()) {
      out += "   who: " + nobody + "\n";
    }
    out += "   why: " + f.why + "\n";
    out += "   check: " + f.check + "\n";
  }
  return out + "\n";
}

}  // namespace tcpstated
