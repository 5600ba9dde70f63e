// Fuzzes the web config parser: any text gives a config or a one-line
// WebConfigError, never a crash. Files it names are looked for in a
// directory that does not exist.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tcpstated/web/web_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  try {
    tcpstated::ParseWebConfig(
        std::string(reinterpret_cast<const char*>(data), size),
        "/nonexistent-fuzz-dir");
  } catch (const tcpstated::WebConfigError& error) {
    if (std::string(error.what()).find('\n') != std::string::npos) {
      __builtin_trap();  // the error policy: one line
    }
  }
  return 0;
}
