#include "web/request_framing.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>

#include "web/client_key.h"
#include "web/fd_budget.h"

namespace tcpstated {
namespace {

TEST(FramingProblemTest, RefusesWhatTwoReadersCouldReadDifferently) {
  EXPECT_EQ(FramingProblem("HTTP/1.1", {{"Host", "x"}}), 0u);
  EXPECT_EQ(FramingProblem("HTTP/1.0", {}), 0u);
  EXPECT_EQ(FramingProblem("HTTP/1.1", {}), 400u);  // no Host
  EXPECT_EQ(FramingProblem("HTTP/1.1", {{"host", "a"}, {"Host", "b"}}), 400u);
  EXPECT_EQ(FramingProblem("HTTP/1.1", {{"Host", "x"},
                                        {"Content-Length", "5"},
                                        {"Transfer-Encoding", "chunked"}}),
            400u);
  EXPECT_EQ(FramingProblem("HTTP/1.1", {{"Host", "x"},
                                        {"Content-Length", "5"},
                                        {"content-length", "6"}}),
            400u);
  EXPECT_EQ(FramingProblem("HTTP/1.1", {{"Host", "x"},
                                        {"Content-Length", "5"},
                                        {"Content-Length", " 5"}}),
            0u);
  EXPECT_EQ(FramingProblem("HTTP/1.1",
                           {{"Host", "x"}, {"Transfer-Encoding", "Chunked"}}),
            0u);
  EXPECT_EQ(FramingProblem("HTTP/1.1",
                           {{"Host", "x"}, {"Transfer-Encoding", "xchunked"}}),
            501u);
  EXPECT_EQ(FramingProblem("HTTP/1.1", {{"Host", "x"},
                                        {"Transfer-Encoding", "gzip"},
                                        {"Transfer-Encoding", "chunked"}}),
            501u);
}

TEST(DecodePercentKeepingNulTest, DecodesAllButNul) {
  for (const auto& [in, out] : std::vector<std::pair<std::string, std::string>>{
           {"/metrics%00", "/metrics%00"},
           {"/a%2Fb%41", "/a/bA"},
           {"/%zz%4", "/%zz%4"},
           {"%", "%"},
           {"/%00%41", "/%00A"}}) {
    std::string text = in;
    text.resize(DecodePercentKeepingNul(text.data()));
    EXPECT_EQ(text, out) << in;
  }
}

TEST(ClientKeyTest, IPv4AsIsIPv6ByItsSlash64) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.7", &v4.sin_addr);
  EXPECT_EQ(ClientKey(reinterpret_cast<sockaddr*>(&v4)), "127.0.0.7");
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "2001:db8:1:2:aaaa::1", &v6.sin6_addr);
  const std::string one = ClientKey(reinterpret_cast<sockaddr*>(&v6));
  inet_pton(AF_INET6, "2001:db8:1:2:bbbb::9", &v6.sin6_addr);
  EXPECT_EQ(ClientKey(reinterpret_cast<sockaddr*>(&v6)), one);
  EXPECT_EQ(one, "2001:db8:1:2::/64");
  inet_pton(AF_INET6, "::ffff:10.1.2.3", &v6.sin6_addr);
  EXPECT_EQ(ClientKey(reinterpret_cast<sockaddr*>(&v6)), "10.1.2.3");
}

TEST(FdBudgetTest, ConnectionsFitWhatTheReserveLeaves) {
  EXPECT_EQ(ConnectionsThatFit(1024, 2), 1024u - ReservedDescriptors(2));
  EXPECT_EQ(ConnectionsThatFit(64, 2), 64u - ReservedDescriptors(2));
  EXPECT_EQ(ConnectionsThatFit(8, 2), 1u);
}

}  // namespace
}  // namespace tcpstated
