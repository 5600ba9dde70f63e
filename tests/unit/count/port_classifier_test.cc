#include "tcpstated/count/port_classifier.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

constexpr PortRange kEphemeral{32768, 60999};

PortSet Listening(std::initializer_list<std::uint16_t> ports) {
  PortSet set;
  for (auto p : ports) set.set(p);
  return set;
}

TEST(ClassifyPortsTest, SocketOnAListeningLocalPortIsInboundByThatPort) {
  EXPECT_EQ(ClassifyPorts(8080, 51000, Listening({8080}), kEphemeral),
            (PortClass{Direction::kInbound, 8080}));
}

TEST(ClassifyPortsTest, ListeningLocalPortWinsEvenIfItIsEphemeral) {
  EXPECT_EQ(ClassifyPorts(40000, 443, Listening({40000}), kEphemeral),
            (PortClass{Direction::kInbound, 40000}));
}

TEST(ClassifyPortsTest, ClientOfALocalServiceIsOutboundByTheServicePort) {
  EXPECT_EQ(ClassifyPorts(51000, 5432, Listening({5432}), kEphemeral),
            (PortClass{Direction::kOutbound, 5432}));
}

TEST(ClassifyPortsTest, RemoteServiceIsChosenWhenTheLocalPortIsEphemeral) {
  EXPECT_EQ(ClassifyPorts(45000, 443, Listening({}), kEphemeral),
            (PortClass{Direction::kOutbound, 443}));
}

TEST(ClassifyPortsTest, StoppedServiceLeftoversAreInboundByTheServicePort) {
  // TIME_WAIT left by a server on 8080 that no longer listens.
  EXPECT_EQ(ClassifyPorts(8080, 45000, Listening({}), kEphemeral),
            (PortClass{Direction::kInbound, 8080}));
}

TEST(ClassifyPortsTest, BothOrNeitherEphemeralPicksTheLowerPort) {
  EXPECT_EQ(ClassifyPorts(3000, 5000, Listening({}), kEphemeral),
            (PortClass{Direction::kInbound, 3000}));
  EXPECT_EQ(ClassifyPorts(5000, 3000, Listening({}), kEphemeral),
            (PortClass{Direction::kOutbound, 3000}));
  EXPECT_EQ(ClassifyPorts(50000, 40000, Listening({}), kEphemeral),
            (PortClass{Direction::kOutbound, 40000}));
}

TEST(ClassifyPortsTest, EqualPortsCountAsOutbound) {
  EXPECT_EQ(ClassifyPorts(7000, 7000, Listening({}), kEphemeral),
            (PortClass{Direction::kOutbound, 7000}));
}

TEST(ClassifyPortsTest, TheNamespaceRangeDecidesWhatIsEphemeral) {
  const PortRange narrow{10000, 10999};
  EXPECT_EQ(ClassifyPorts(10500, 40000, Listening({}), narrow),
            (PortClass{Direction::kOutbound, 40000}));
  EXPECT_EQ(ClassifyPorts(10500, 40000, Listening({}), kEphemeral),
            (PortClass{Direction::kInbound, 10500}));
}

TEST(PortRangeTest, BoundsAreInclusive) {
  EXPECT_TRUE(kEphemeral.Contains(32768));
  EXPECT_TRUE(kEphemeral.Contains(60999));
  EXPECT_FALSE(kEphemeral.Contains(32767));
  EXPECT_FALSE(kEphemeral.Contains(61000));
}

}  // namespace
}  // namespace tcpstated
