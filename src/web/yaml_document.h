#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace tcpstated {

// The one YAML document of a web config file (a null node for an empty
// file). A second document is a WebConfigError naming `name`, as is text
// that is not YAML.
YAML::Node LoadOneYamlDocument(const std::string& yaml,
                               const std::string& name);

}  // namespace tcpstated
