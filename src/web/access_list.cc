#include "tcpstated/web/access_list.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace tcpstated {
namespace {

bool PrefixMatches(const std::uint8_t* a, const std::uint8_t* b,
                   unsigned prefix) {
  const unsigned bytes = prefix / 8;
  if (std::memcmp(a, b, bytes) != 0) return false;
  const unsigned bits = prefix % 8;
  if (bits == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits));
  return (a[bytes] & mask) == (b[bytes] & mask);
}

// True when no bit past `prefix` is set.
bool IsNetworkAddress(const std::uint8_t* address, unsigned width,
                      unsigned prefix) {
  for (unsigned bit = prefix; bit < width; ++bit) {
    if (address[bit / 8] & (0x80 >> (bit % 8))) return false;
  }
  return true;
}

}  // namespace

AccessList AccessList::Parse(const std::vector<std::string>& entries) {
  AccessList list;
  for (const std::string& entry : entries) {
    const auto bad = [&](const std::string& why) {
      return std::invalid_argument("\"" + entry + "\" " + why);
    };
    const auto slash = entry.find('/');
    const std::string address = entry.substr(0, slash);
    Network network{};
    unsigned width = 0;
    if (inet_pton(AF_INET, address.c_str(), network.address.data()) == 1) {
      network.ipv4 = true;
      width = 32;
    } else if (inet_pton(AF_INET6, address.c_str(), network.address.data()) ==
               1) {
      width = 128;
    } else {
      throw bad("is not an address or CIDR network");
    }
    network.prefix = width;
    if (slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      const auto [end, error] = std::from_chars(
          bits.data(), bits.data() + bits.size(), network.prefix);
      if (bits.empty() || error != std::errc() ||
          end != bits.data() + bits.size() || network.prefix > width) {
        throw bad("is not an address or CIDR network");
      }
    }
    if (!IsNetworkAddress(network.address.data(), width, network.prefix)) {
      throw bad("has host bits set: write the network address of the /" +
                std::to_string(network.prefix));
    }
    list.networks_.push_back(network);
  }
  return list;
}

bool AccessList::Matches(bool ipv4, const std::uint8_t* address) const {
  for (const Network& network : networks_) {
    if (network.ipv4 == ipv4 &&
        PrefixMatches(network.address.data(), address, network.prefix)) {
      return true;
    }
  }
  return false;
}

bool AccessList::Allows(const sockaddr* peer) const {
  if (networks_.empty()) return true;
  if (peer == nullptr) return false;
  if (peer->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(peer);
    return Matches(true, reinterpret_cast<const std::uint8_t*>(&v4->sin_addr));
  }
  if (peer->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(peer);
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(&v6->sin6_addr);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) return Matches(true, bytes + 12);
    return Matches(false, bytes);
  }
  return false;
}

}  // namespace tcpstated
