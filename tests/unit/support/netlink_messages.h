#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// Builders for hand-made netlink messages: only for malformed and error
// cases. Well-formed input comes from recorded fixtures.
namespace tcpstated::testing {

using Bytes = std::vector<std::byte>;

Bytes DiagMessage(std::uint8_t family, std::uint8_t kernel_state,
                  std::uint16_t local_port, std::uint16_t remote_port,
                  std::uint16_t flags = 0);
// A diag message followed by one attribute of `type` with `payload_bytes`
// bytes, the first 4 of tcp_info's tcpi_last_ack_recv offset set to
// `last_ack_ms` when they fit. `declared_rta_len` overrides rta_len.
Bytes DiagMessageWithAttribute(std::uint16_t type, std::size_t payload_bytes,
                               std::uint32_t last_ack_ms,
                               int declared_rta_len = -1);
Bytes DoneMessage(int status, bool with_payload = true);
Bytes ErrorMessage(int error);
Bytes RawMessage(std::uint16_t type, std::uint32_t declared_length,
                 std::size_t payload_bytes);
Bytes Concat(std::initializer_list<Bytes> parts);

Bytes ReadFile(const std::string& path);
void WriteFile(const std::string& path, const Bytes& bytes);
std::string FixturePath(const std::string& name);

}  // namespace tcpstated::testing
