#pragma once

#include <map>
#include <optional>
#include <string>

namespace tcpstated {

// The string values of a container runtime's JSON state file that name a
// container: every member of the top-level "annotations" object (OCI
// config.json: containerd, CRI-O) and of "Config.Labels", plus "Name" and
// "Config.Image" (Docker's config.v2.json). Keys are the JSON paths joined
// with '/' ("annotations/io.kubernetes.cri.sandbox-name", "Name").
//
// The file is streamed through a SAX parser: nothing else of it is kept,
// nesting deeper than 32 levels or a file over 8 MiB stops the read, and at
// most 512 values are kept. Values are raw (sanitize before use). A file
// that is missing, unreadable or not JSON gives an empty map.
std::map<std::string, std::string> ReadRuntimeNames(const std::string& file);

// One container's entry in containers/storage's containers.json (Podman's,
// and CRI-O's, store: a JSON array of {"id", "names", "metadata", ...}):
// its first name and the "image-name" of its metadata (itself a JSON text
// in a string). Streamed and capped like ReadRuntimeNames; values are raw.
// nullopt when the file is missing, unreadable, not JSON, or has no entry
// for `id`.
struct StoredContainer {
  std::string name, image;
};
std::optional<StoredContainer> ReadStoredContainer(const std::string& file,
                                                   const std::string& id);

// The same over a file's text (the readers above read the file, capped,
// then call these).
std::map<std::string, std::string> ParseRuntimeNames(const std::string& text);
std::optional<StoredContainer> FindStoredContainer(const std::string& text,
                                                   const std::string& id);

}  // namespace tcpstated
