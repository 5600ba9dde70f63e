#include "tcpstated/web/access_list.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <stdexcept>

namespace tcpstated {
namespace {

bool Allows(const AccessList& list, const char* address) {
  sockaddr_storage storage{};
  if (inet_pton(AF_INET, address,
                &reinterpret_cast<sockaddr_in*>(&storage)->sin_addr) == 1) {
    storage.ss_family = AF_INET;
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, address,
                        &reinterpret_cast<sockaddr_in6*>(&storage)->sin6_addr),
              1);
    storage.ss_family = AF_INET6;
  }
  return list.Allows(reinterpret_cast<const sockaddr*>(&storage));
}

TEST(AccessListTest, AnEmptyListAllowsEveryone) {
  EXPECT_TRUE(Allows(AccessList::Parse({}), "192.0.2.1"));
}

TEST(AccessListTest, MatchesIpv4AndIpv6Networks) {
  const auto list =
      AccessList::Parse({"10.0.0.0/8", "127.0.0.1", "fd00::/8", "::1/128"});
  EXPECT_TRUE(Allows(list, "10.200.3.4"));
  EXPECT_TRUE(Allows(list, "127.0.0.1"));
  EXPECT_FALSE(Allows(list, "127.0.0.2"));
  EXPECT_FALSE(Allows(list, "11.0.0.1"));
  EXPECT_TRUE(Allows(list, "fd12:3456::1"));
  EXPECT_TRUE(Allows(list, "::1"));
  EXPECT_FALSE(Allows(list, "2001:db8::1"));
}

// A dual-stack socket sees IPv4 clients as ::ffff:a.b.c.d.
TEST(AccessListTest, MappedIpv4PeersMatchIpv4Entries) {
  const auto list = AccessList::Parse({"127.0.0.0/8"});
  EXPECT_TRUE(Allows(list, "::ffff:127.0.0.1"));
  EXPECT_FALSE(Allows(list, "::ffff:10.0.0.1"));
}

TEST(AccessListTest, NonByteAlignedPrefixes) {
  const auto list = AccessList::Parse({"192.168.4.0/22"});
  EXPECT_TRUE(Allows(list, "192.168.7.255"));
  EXPECT_FALSE(Allows(list, "192.168.8.0"));
}

// Regression: civetweb compared (ip & mask) == net without masking the
// entry, so 127.0.0.5/8 passed check-config and then refused 127.0.0.1.
TEST(AccessListTest, HostBitsSetAreAnErrorNamingTheEntry) {
  try {
    AccessList::Parse({"127.0.0.5/8"});
    FAIL();
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("\"127.0.0.5/8\" has host bits"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW(AccessList::Parse({"fd00::1/8"}), std::invalid_argument);
}

TEST(AccessListTest, RejectsWhatIsNotACidr) {
  for (const char* bad : {"10.0.0.0/33", "::1/129", "example.com", "10.0.0.0/",
                          "10.0.0.0/8x", "1.2.3.4/-1", ""}) {
    EXPECT_THROW(AccessList::Parse({bad}), std::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace tcpstated
