#include "yaml_document.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

#include "tcpstated/model/one_line.h"
#include "tcpstated/web/web_config.h"

namespace tcpstated {
namespace {

// Only where each document starts matters to the first pass.
class DocumentStarts final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark last = YAML::Mark::null_mark();
};

// Whether the text holds a second document. yaml-cpp 0.7's LoadAll never
// ends on some invalid text: from ",a:" its parser hands out empty
// documents forever, each starting where the one before did, and the list
// of them fills memory (found by the fuzzer). So at most two are read, and
// a document that starts where the first did is text the parser cannot
// read.
bool HasSecondDocument(const std::string& yaml, const std::string& name) {
  std::istringstream in(yaml);
  YAML::Parser parser(in);
  DocumentStarts starts;
  if (!parser.HandleNextDocument(starts)) return false;
  const YAML::Mark first = starts.last;
  if (!parser.HandleNextDocument(starts)) return false;
  if (starts.last.pos == first.pos) {
    throw WebConfigError(OneLine(name + ": not valid YAML: line " +
                                 std::to_string(first.line + 1) + ", column " +
                                 std::to_string(first.column + 1) +
                                 ": nothing from here on can be read"));
  }
  return true;
}

}  // namespace

YAML::Node LoadOneYamlDocument(const std::string& yaml,
                               const std::string& name) {
  try {
    // One document: exporter-toolkit reads the first and would ignore the
    // rest, which then look configured but are not.
    if (HasSecondDocument(yaml, name)) {
      throw WebConfigError(OneLine(name +
                                   ": holds more than one YAML document "
                                   "(---); only one is read: merge them"));
    }
    return YAML::Load(yaml);
  } catch (const YAML::Exception& error) {
    throw WebConfigError(OneLine(name + ": not valid YAML: " + error.what()));
  }
}

}  // namespace tcpstated
