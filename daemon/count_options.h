#pragma once

#include "namespace_collector.h"

namespace CLI {
class App;
}

namespace tcpstated {

// --ports.max and --units.max, declared the same way for `report` and
// `run` (and the config file), bound to `settings`.
void AddCountOptions(CLI::App& command, CountSettings& settings);

}  // namespace tcpstated
