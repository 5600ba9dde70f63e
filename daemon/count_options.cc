#include "count_options.h"

#include <CLI/CLI.hpp>

#include "strict_options.h"

namespace tcpstated {

void AddCountOptions(CLI::App& command, CountSettings& settings,
                     std::size_t& max_netns, RuntimeStateDirs& runtime_dirs) {
  AddNumberOption(command, "--ports.max", settings.max_ports, 1, 65536,
                  "Busiest ports kept per direction; the rest are summed "
                  "as port=\"other\"");
  AddNumberOption(command, "--units.max", settings.max_owners, 1, 10000,
                  "Busiest owners (units or cgroups) kept; the rest are "
                  "summed as unit=\"other\"");
  AddNumberOption(command, "--netns.max", max_netns, 1, 100000,
                  "With --netns all: the busiest namespaces (by sockets) "
                  "exported one by one; the rest are summed as "
                  "netns=\"other\"");
  // Missing directories are skipped (a host without that runtime); a
  // relative one is a mistake, not a directory to look for.
  const CLI::Validator absolute(
      [](std::string& path) -> std::string {
        if (path.empty() || path.starts_with('/')) return "";
        return "not an absolute path: " + path;
      },
      "DIR");
  const auto dirs = [&](const char* name, std::vector<std::string>& into,
                        const char* what) {
    command.add_option(name, into, what)->delimiter(',')->check(absolute);
  };
  RuntimeStateDirs& state = runtime_dirs;
  dirs("--containers.containerd-state", state.containerd,
       "containerd's task state (NAMESPACE/ID/config.json: pod, namespace "
       "and container names of the CRI plugin); \"\" reads none");
  dirs("--containers.crio-state", state.crio,
       "CRI-O's container state (ID/userdata/config.json); \"\" reads none");
  dirs("--containers.docker-state", state.docker,
       "Docker's containers (ID/config.v2.json: name and image); \"\" reads "
       "none");
  dirs("--containers.podman-state", state.podman,
       "Podman's container store (containers.json: name and image); \"\" "
       "reads none");
}

}  // namespace tcpstated
