#include "count_options.h"

#include <CLI/CLI.hpp>

#include "strict_options.h"

namespace tcpstated {

void AddCountOptions(CLI::App& command, CountSettings& settings) {
  AddNumberOption(command, "--ports.max", settings.max_ports, 1, 65536,
                  "Busiest ports kept per direction; the rest are summed "
                  "as port=\"other\"");
  AddNumberOption(command, "--units.max", settings.max_units, 1, 10000,
                  "Busiest owners (units or cgroups) kept; the rest are "
                  "summed as unit=\"other\"");
}

}  // namespace tcpstated
