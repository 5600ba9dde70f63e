// Fuzzes the config file parser: any text gives a config or a one-line
// ConfigProblem, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tcpstated/settings/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  try {
    tcpstated::Config config;
    tcpstated::ApplyConfigText(
        std::string(reinterpret_cast<const char*>(data), size), "(fuzz)",
        config);
  } catch (const tcpstated::ConfigProblem& problem) {
    if (std::string(problem.what()).find('\n') != std::string::npos) {
      __builtin_trap();  // the error policy: one line
    }
  }
  return 0;
}
