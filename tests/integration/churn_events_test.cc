// The event source against known traffic in a private namespace: every
// count exact, by direction, port, closer and lifetime bucket.
#include "tcpstated/events/churn_events.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <system_error>
#include <thread>
#include <vector>

#include "closing_traffic.h"
#include "socket_scenario.h"
#include "tcpstated/host/kernel_counters.h"
#include "tcpstated/host/network_namespaces.h"
#include "tcpstated/io/unique_fd.h"

namespace tcpstated {
namespace {

using testing::CloseConnections;
using testing::CloseInOrder;
using testing::ConnectPair;
using testing::ConnectRefused;
using testing::LoopbackListener;
using testing::ResetByServer;

constexpr std::uint16_t kClosingPort = 9100;  // closed by each side
constexpr std::uint16_t kResetPort = 9101;    // aborted by the server
constexpr std::uint16_t kRefusedPort = 9102;  // nobody listens
constexpr std::uint16_t kDroppedPort = 9103;  // SYNs dropped by nftables
constexpr std::uint16_t kLongPort = 9104;     // held open over a second

// `n` connects at once whose SYNs go unanswered, each giving up after one
// retransmit (TCP_SYNCNT 1: about 3 s).
void ConnectsThatTimeOut(std::uint16_t port, int n) {
  std::vector<UniqueFd> fds;
  std::vector<pollfd> polls;
  for (int i = 0; i < n; ++i) {
    UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    const int one = 1;
    setsockopt(fd.get(), IPPROTO_TCP, TCP_SYNCNT, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a);
    polls.push_back({fd.get(), POLLOUT, 0});
    fds.push_back(std::move(fd));
  }
  for (pollfd& p : polls) {
    ASSERT_EQ(poll(&p, 1, 30000), 1) << "connect did not give up";
    int error = 0;
    socklen_t size = sizeof error;
    getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    EXPECT_EQ(error, ETIMEDOUT);
  }
}

const ChurnCounts* Find(const ChurnReading& r, std::uint64_t netns, Direction d,
                        std::uint16_t port) {
  for (const ChurnEntry& e : r.entries) {
    if (e.netns == netns && e.direction == d && e.port == port) {
      return &e.counts;
    }
  }
  return nullptr;
}

class ChurnEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
      GTEST_SKIP() << "this kernel has no BTF: the fallback is tested apart";
    }
    testing::EnterPrivateNetns();
    netns_ = CurrentNetnsInode().value_or(0);
    events_ = std::make_unique<ChurnEvents>(/*lifetimes=*/true);
    ASSERT_TRUE(events_->status().enabled)
        << events_->status().reason << ": " << events_->detail();
  }
  const ChurnCounts& Counts(Direction d, std::uint16_t port) {
    reading_ = events_->Read();
    const ChurnCounts* c = Find(reading_, netns_, d, port);
    static const ChurnCounts none;
    return c != nullptr ? *c : none;
  }

  std::uint64_t netns_ = 0;
  std::unique_ptr<ChurnEvents> events_;
  ChurnReading reading_;
};

TEST_F(ChurnEventsTest, CountsClosesExactlyByWhoClosedFirst) {
  const UniqueFd listener = LoopbackListener(kClosingPort);
  CloseConnections(listener.get(), kClosingPort, 1000, 500);
  const ChurnCounts in = Counts(Direction::kInbound, kClosingPort);
  EXPECT_EQ(in.opens, 1500u);
  EXPECT_EQ(in.Closes(Closer::kHere), 1000u);
  EXPECT_EQ(in.Closes(Closer::kThere), 500u);
  EXPECT_EQ(in.Closes(Closer::kReset), 0u);
  const ChurnCounts out = Counts(Direction::kOutbound, kClosingPort);
  EXPECT_EQ(out.opens, 1500u);
  EXPECT_EQ(out.Closes(Closer::kHere), 500u);
  EXPECT_EQ(out.Closes(Closer::kThere), 1000u);
  EXPECT_EQ(out.failed_connects, 0u);
  // Loopback connections closed at once all live under a second.
  std::uint64_t under_a_second = 0;
  for (std::size_t i = 0; i < kLifetimeBounds.size(); ++i) {
    if (kLifetimeBounds[i] <= 1) under_a_second += in.lifetimes[i];
  }
  EXPECT_EQ(under_a_second, 1500u);
  EXPECT_GT(in.lifetime_seconds, 0);
  EXPECT_LT(in.lifetime_seconds, 1500.0);
  EXPECT_EQ(reading_.losses.map_full, 0u);
}

TEST_F(ChurnEventsTest, CountsResetsOnBothEnds) {
  const UniqueFd listener = LoopbackListener(kResetPort);
  for (int i = 0; i < 100; ++i) {
    auto [client, server] = ConnectPair(listener.get(), kResetPort);
    ResetByServer(std::move(client), std::move(server));
  }
  const ChurnCounts in = Counts(Direction::kInbound, kResetPort);
  EXPECT_EQ(in.opens, 100u);
  EXPECT_EQ(in.Closes(Closer::kReset), 100u);
  EXPECT_EQ(in.resets[static_cast<std::size_t>(Side::kHere)], 100u);
  EXPECT_EQ(in.resets[static_cast<std::size_t>(Side::kThere)], 0u);
  const ChurnCounts out = Counts(Direction::kOutbound, kResetPort);
  EXPECT_EQ(out.Closes(Closer::kReset), 100u);
  EXPECT_EQ(out.resets[static_cast<std::size_t>(Side::kThere)], 100u);
  EXPECT_EQ(out.resets[static_cast<std::size_t>(Side::kHere)], 0u);
}

TEST_F(ChurnEventsTest, CountsRefusedAndTimedOutConnectsAsFailed) {
  for (int i = 0; i < 50; ++i) ConnectRefused(kRefusedPort);
  ASSERT_EQ(std::system(("nft add table inet churn && nft add chain inet churn "
                         "in '{ type filter hook input priority 0; }' && nft "
                         "add rule inet churn in tcp dport " +
                         std::to_string(kDroppedPort) + " drop")
                            .c_str()),
            0);
  ConnectsThatTimeOut(kDroppedPort, 5);

  const ChurnCounts refused = Counts(Direction::kOutbound, kRefusedPort);
  EXPECT_EQ(refused.failed_connects, 50u);
  EXPECT_EQ(refused.opens, 0u);
  EXPECT_EQ(refused.resets[static_cast<std::size_t>(Side::kThere)], 50u);
  const ChurnCounts dropped = Counts(Direction::kOutbound, kDroppedPort);
  EXPECT_EQ(dropped.failed_connects, 5u);
  // As many SYNs sent again as the namespace's own counter says (the
  // kernel retransmits once or twice under TCP_SYNCNT 1, by version).
  const auto syn_retransmits =
      Get(ReadKernelCounters(), KernelCounter::kSynRetransmits);
  ASSERT_TRUE(syn_retransmits.has_value());
  EXPECT_GE(*syn_retransmits, 5u);
  EXPECT_EQ(dropped.retransmits[static_cast<std::size_t>(Segment::kSyn)],
            *syn_retransmits);
  EXPECT_EQ(dropped.resets[0] + dropped.resets[1], 0u);
  // The RSTs that refused them came from no socket: counted, not placed.
  EXPECT_GE(reading_.losses.unplaced, 50u);
}

TEST_F(ChurnEventsTest, PutsLongerConnectionsInTheirLifetimeBucket) {
  const UniqueFd listener = LoopbackListener(kLongPort);
  std::vector<std::pair<UniqueFd, UniqueFd>> open;
  for (int i = 0; i < 10; ++i) {
    open.push_back(ConnectPair(listener.get(), kLongPort));
  }
  // Not a wait for something: the lifetime being measured.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  for (auto& [client, server] : open) {
    CloseInOrder(std::move(client), std::move(server));
  }
  const ChurnCounts in = Counts(Direction::kInbound, kLongPort);
  // (1 s, 10 s]: the fifth bucket.
  ASSERT_EQ(kLifetimeBounds[3], 1.0);
  ASSERT_EQ(kLifetimeBounds[4], 10.0);
  EXPECT_EQ(in.lifetimes[4], 10u);
  EXPECT_EQ(in.Closes(), 10u);
  EXPECT_GE(in.lifetime_seconds, 11.0);
  EXPECT_LT(in.lifetime_seconds, 100.0);
  EXPECT_EQ(Counts(Direction::kOutbound, kLongPort).lifetimes[4], 10u);
}

// The daemon watching one namespace: the program passes over the others.
TEST_F(ChurnEventsTest, CountsOnlyTheNamespaceItIsToldTo) {
  const UniqueFd listener = LoopbackListener(kClosingPort);
  events_->CountOnly(netns_ + 1);  // some other namespace
  CloseConnections(listener.get(), kClosingPort, 5, 0);
  EXPECT_EQ(Counts(Direction::kInbound, kClosingPort).opens, 0u);
  events_->CountOnly(netns_);
  CloseConnections(listener.get(), kClosingPort, 7, 0);
  EXPECT_EQ(Counts(Direction::kInbound, kClosingPort).opens, 7u);
  EXPECT_EQ(Counts(Direction::kOutbound, kClosingPort).Closes(Closer::kThere),
            7u);
}

// Without lifetimes (the default) no socket-local storage: the counts
// stay exact, and connections opened before the program loaded close in
// the direction the daemon's listeners say.
TEST_F(ChurnEventsTest, WithoutLifetimesConnectionsOlderThanTheProgramCount) {
  events_.reset();
  const UniqueFd listener = LoopbackListener(kClosingPort);
  std::vector<std::pair<UniqueFd, UniqueFd>> older;
  for (int i = 0; i < 20; ++i) {
    older.push_back(ConnectPair(listener.get(), kClosingPort));
  }
  events_ = std::make_unique<ChurnEvents>(/*lifetimes=*/false);
  ASSERT_TRUE(events_->status().enabled);
  PortSet listening;
  listening.set(kClosingPort);
  events_->NoteListeners(netns_, listening);
  for (auto& [client, server] : older) {
    CloseInOrder(std::move(server), std::move(client));
  }
  CloseConnections(listener.get(), kClosingPort, 10, 0);
  const ChurnCounts in = Counts(Direction::kInbound, kClosingPort);
  EXPECT_EQ(in.opens, 10u);
  EXPECT_EQ(in.Closes(Closer::kHere), 30u);
  const ChurnCounts out = Counts(Direction::kOutbound, kClosingPort);
  EXPECT_EQ(out.Closes(Closer::kThere), 30u);
  for (std::uint64_t n : in.lifetimes) EXPECT_EQ(n, 0u);
  EXPECT_EQ(reading_.losses.untracked_closes, 0u);
}

}  // namespace
}  // namespace tcpstated
