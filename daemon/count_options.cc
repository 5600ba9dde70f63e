#include "count_options.h"

#include <CLI/CLI.hpp>

namespace tcpstated {

void AddCountOptions(CLI::App& command, CountSettings& settings) {
  command
      .add_option("--ports.max", settings.max_ports,
                  "Busiest ports kept per direction; the rest are summed "
                  "as port=\"other\"")
      ->check(CLI::Range(std::size_t{1}, std::size_t{65536}))
      ->capture_default_str();
  command
      .add_option("--units.max", settings.max_units,
                  "Busiest owners (units or cgroups) kept; the rest are "
                  "summed as unit=\"other\"")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}))
      ->capture_default_str();
}

}  // namespace tcpstated
