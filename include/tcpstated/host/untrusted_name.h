#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tcpstated {

// Names that come from outside (cgroup directories, /proc/PID/comm, netns
// names, container names from runtime state) are written by other users.
// They are sanitized once, where they enter, before they become label
// values, JSON strings, report text or log lines: invalid UTF-8, control
// characters (C0, DEL, C1; ESC among them, so no terminal escape gets
// through) and bidirectional overrides are each replaced by U+FFFD, and the
// result is cut at a character boundary to at most `max_bytes` bytes, with
// "…" marking the cut. One bad name must never make Prometheus reject the
// host's scrape.
std::string SanitizeName(std::string_view raw, std::size_t max_bytes = 256);

}  // namespace tcpstated
