#include "netlink_messages.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include <cstddef>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace tcpstated::testing {
namespace {

template <typename T>
void Append(Bytes& out, const T& value) {
  const auto* p = reinterpret_cast<const std::byte*>(&value);
  out.insert(out.end(), p, p + sizeof value);
}

void Pad(Bytes& out) {
  while (out.size() % NLMSG_ALIGNTO != 0) out.push_back(std::byte{0});
}

}  // namespace

Bytes DiagMessage(std::uint8_t family, std::uint8_t kernel_state,
                  std::uint16_t local_port, std::uint16_t remote_port,
                  std::uint16_t flags) {
  nlmsghdr header{};
  header.nlmsg_len = NLMSG_LENGTH(sizeof(inet_diag_msg));
  header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  header.nlmsg_flags = static_cast<std::uint16_t>(NLM_F_MULTI | flags);
  inet_diag_msg msg{};
  msg.idiag_family = family;
  msg.idiag_state = kernel_state;
  msg.id.idiag_sport = htons(local_port);
  msg.id.idiag_dport = htons(remote_port);
  Bytes out;
  Append(out, header);
  Append(out, msg);
  Pad(out);
  return out;
}

Bytes DiagMessageWithAttribute(std::uint16_t type, std::size_t payload_bytes,
                               std::uint32_t last_ack_ms,
                               int declared_rta_len) {
  Bytes out = DiagMessage(AF_INET, 8, 8080, 40000);
  rtattr attribute{};
  attribute.rta_type = type;
  attribute.rta_len = static_cast<unsigned short>(
      declared_rta_len >= 0 ? declared_rta_len : RTA_LENGTH(payload_bytes));
  Append(out, attribute);
  Bytes payload(payload_bytes, std::byte{0});
  const std::size_t at = offsetof(tcp_info, tcpi_last_ack_recv);
  if (at + sizeof last_ack_ms <= payload.size()) {
    std::memcpy(payload.data() + at, &last_ack_ms, sizeof last_ack_ms);
  }
  out.insert(out.end(), payload.begin(), payload.end());
  Pad(out);
  nlmsghdr header;
  std::memcpy(&header, out.data(), sizeof header);
  header.nlmsg_len = static_cast<std::uint32_t>(out.size());
  std::memcpy(out.data(), &header, sizeof header);
  return out;
}

Bytes DoneMessage(int status, bool with_payload) {
  nlmsghdr header{};
  header.nlmsg_len = NLMSG_LENGTH(with_payload ? sizeof(int) : 0);
  header.nlmsg_type = NLMSG_DONE;
  header.nlmsg_flags = NLM_F_MULTI;
  Bytes out;
  Append(out, header);
  if (with_payload) Append(out, status);
  return out;
}

Bytes ErrorMessage(int error) {
  nlmsghdr header{};
  header.nlmsg_len = NLMSG_LENGTH(sizeof(nlmsgerr));
  header.nlmsg_type = NLMSG_ERROR;
  nlmsgerr body{};
  body.error = error;
  Bytes out;
  Append(out, header);
  Append(out, body);
  return out;
}

Bytes RawMessage(std::uint16_t type, std::uint32_t declared_length,
                 std::size_t payload_bytes) {
  nlmsghdr header{};
  header.nlmsg_len = declared_length;
  header.nlmsg_type = type;
  Bytes out;
  Append(out, header);
  out.resize(out.size() + payload_bytes, std::byte{0});
  return out;
}

Bytes Concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts)
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

Bytes ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::vector<char> chars((std::istreambuf_iterator<char>(file)),
                          std::istreambuf_iterator<char>());
  Bytes out(chars.size());
  std::memcpy(out.data(), chars.data(), chars.size());
  return out;
}

void WriteFile(const std::string& path, const Bytes& bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  if (!file) throw std::runtime_error("cannot write " + path);
}

std::string FixturePath(const std::string& name) {
  return std::string(TCPSTATED_FIXTURES) + "/" + name;
}

}  // namespace tcpstated::testing
