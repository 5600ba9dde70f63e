#pragma once

#include <cstddef>

#include "tcpstated/count/count_settings.h"
#include "tcpstated/host/container_names.h"

namespace CLI {
class App;
}

namespace tcpstated {

// --ports.max and --units.max, declared the same way for `report` and
// `run` (and the config file), bound to `settings`.
void AddCountOptions(CLI::App& command, CountSettings& settings,
                     std::size_t& max_netns, RuntimeStateDirs& runtime_dirs);

}  // namespace tcpstated
