#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

struct sockaddr;

namespace tcpstated {

// The client networks allowed to connect (web.allow): IPv4 and IPv6 CIDRs.
// An IPv4-mapped IPv6 peer (::ffff:10.0.0.1, as a dual-stack socket sees
// IPv4 clients) matches the IPv4 entries. An empty list allows everyone.
class AccessList {
 public:
  // Throws std::invalid_argument naming the first bad entry: not an
  // address, a prefix out of range, or host bits set ("10.0.0.5/8": did
  // you mean 10.0.0.0/8?).
  static AccessList Parse(const std::vector<std::string>& entries);

  bool Allows(const sockaddr* peer) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    bool ipv4;
    std::array<std::uint8_t, 16> address;  // IPv4 in the first 4 bytes
    unsigned prefix;
  };
  bool Matches(bool ipv4, const std::uint8_t* address) const;
  std::vector<Network> networks_;
};

}  // namespace tcpstated
