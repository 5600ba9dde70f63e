// Fuzzes the readers of container runtimes' state files (OCI config.json,
// Docker's config.v2.json, containers/storage's containers.json), which
// hold names any container's creator chooses: any text gives names or
// none, within the documented bounds, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/runtime_files.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (tcpstated::ParseRuntimeNames(text).size() > 512) __builtin_trap();
  // The id of the entry in the Podman seed (tests/fixtures/runtimes).
  tcpstated::FindStoredContainer(
      text, "2aa9849c3b05b4fa1b9e5bcd3cdac8792cd9276ffaafe87f1f0f1f76c2f97850");
  return 0;
}
