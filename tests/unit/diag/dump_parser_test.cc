#include "diag/dump_parser.h"

#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "fixture_expectations.h"
#include "netlink_messages.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

using testing::Bytes;

class CountingSink : public RecordSink {
 public:
  void OnRecord(const SocketRecord& r) noexcept override {
    ++counts[static_cast<std::size_t>(r.family)][Index(r.state)];
    last = r;
  }
  std::array<StateCounts, kFamilyCount> counts{};
  SocketRecord last;
};

CollectErrorReason ReasonOf(const Bytes& bytes) {
  CountingSink sink;
  DumpParser parser(sink);
  try {
    parser.Parse(bytes);
  } catch (const CollectError& error) {
    return error.reason();
  }
  ADD_FAILURE() << "no CollectError thrown";
  return CollectErrorReason::kIo;
}

class RecordedDumpTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RecordedDumpTest, CountsEveryStateOfTheRecordedScenario) {
  const Bytes dump = testing::ReadFile(testing::FixturePath(GetParam()));
  CountingSink sink;
  DumpParser parser(sink);
  EXPECT_EQ(parser.Parse(dump), dump.size());
  EXPECT_TRUE(parser.at_dump_boundary());
  EXPECT_FALSE(parser.interrupted());
  EXPECT_EQ(sink.counts[0], testing::MixedIpv4());
  EXPECT_EQ(sink.counts[1], testing::MixedIpv6());
  EXPECT_EQ(parser.records(), 30u);
  EXPECT_EQ(parser.records_ignored(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RecordedDumpTest,
                         ::testing::Values("mixed-legacy.dump",
                                           "mixed-per-family.dump",
                                           "mixed-ss.dump"));

TEST(DumpParserTest, OneWalkDumpEndsOnceAndPerFamilyDumpsTwice) {
  for (const auto& [name, dones] : {std::pair{"mixed-legacy.dump", 1u},
                                    {"mixed-per-family.dump", 2u},
                                    {"mixed-ss.dump", 2u}}) {
    CountingSink sink;
    DumpParser parser(sink);
    parser.Parse(testing::ReadFile(testing::FixturePath(name)));
    EXPECT_EQ(parser.dumps_done(), dones) << name;
  }
}

TEST(DumpParserTest, EveryPrefixOfARealDumpStopsAtAMessageBoundary) {
  const Bytes dump =
      testing::ReadFile(testing::FixturePath("mixed-legacy.dump"));
  CountingSink whole_sink;
  DumpParser whole(whole_sink);
  whole.Parse(dump);

  for (std::size_t length = 0; length < dump.size(); ++length) {
    // A copy of exactly `length` bytes, so that ASan catches any read past.
    const Bytes prefix(dump.begin(), dump.begin() + static_cast<long>(length));
    CountingSink sink;
    DumpParser parser(sink);
    const std::size_t used = parser.Parse(prefix);
    ASSERT_LE(used, length);
    EXPECT_LE(parser.records(), whole.records());
    // Whatever was consumed re-parses to the same count on its own.
    CountingSink again_sink;
    DumpParser again(again_sink);
    EXPECT_EQ(again.Parse({prefix.data(), used}), used);
    EXPECT_EQ(again.records(), parser.records());
    EXPECT_FALSE(parser.dumps_done() == 1 && used == length &&
                 length != dump.size())
        << "a truncated dump looked complete at " << length;
  }
}

TEST(DumpParserTest, LengthShorterThanAHeaderIsMalformed) {
  EXPECT_EQ(ReasonOf(testing::RawMessage(SOCK_DIAG_BY_FAMILY, 8, 0)),
            CollectErrorReason::kMalformed);
  EXPECT_EQ(ReasonOf(testing::RawMessage(NLMSG_DONE, 0, 4)),
            CollectErrorReason::kMalformed);
}

TEST(DumpParserTest, HugeDeclaredLengthWaitsForBytesInsteadOfReading) {
  const Bytes message =
      testing::RawMessage(SOCK_DIAG_BY_FAMILY, 0xffffffffu, 72);
  CountingSink sink;
  DumpParser parser(sink);
  EXPECT_EQ(parser.Parse(message), 0u);
  EXPECT_EQ(parser.records(), 0u);
  // The same with the top bit set, where a signed comparison would go wrong.
  const Bytes signed_trap =
      testing::RawMessage(SOCK_DIAG_BY_FAMILY, 0x80000010u, 72);
  EXPECT_EQ(parser.Parse(signed_trap), 0u);
}

TEST(DumpParserTest, DiagMessageTooShortForItsStructIsMalformed) {
  Bytes message = testing::DiagMessage(AF_INET, 1, 80, 40000);
  const std::uint32_t short_length = NLMSG_LENGTH(sizeof(inet_diag_msg)) - 1;
  std::memcpy(message.data(), &short_length, sizeof short_length);
  EXPECT_EQ(ReasonOf(message), CollectErrorReason::kMalformed);
}

TEST(DumpParserTest, UnknownFamilyOrMessageTypeIsMalformed) {
  EXPECT_EQ(ReasonOf(testing::DiagMessage(AF_UNIX, 1, 80, 40000)),
            CollectErrorReason::kMalformed);
  EXPECT_EQ(ReasonOf(testing::RawMessage(0x42, 16, 0)),
            CollectErrorReason::kMalformed);
}

TEST(DumpParserTest, NetlinkErrorIsReportedWithItsErrno) {
  CountingSink sink;
  DumpParser parser(sink);
  try {
    parser.Parse(testing::ErrorMessage(-EPERM));
    FAIL() << "no error";
  } catch (const CollectError& error) {
    EXPECT_EQ(error.reason(), CollectErrorReason::kNetlinkError);
    EXPECT_NE(std::string(error.what()).find("not permitted"),
              std::string::npos)
        << error.what();
  }
}

TEST(DumpParserTest, ErrorWithMinimumIntDoesNotOverflow) {
  EXPECT_EQ(ReasonOf(testing::ErrorMessage(INT_MIN)),
            CollectErrorReason::kNetlinkError);
}

TEST(DumpParserTest, AcknowledgementIsNotAnError) {
  CountingSink sink;
  DumpParser parser(sink);
  const Bytes bytes =
      testing::Concat({testing::ErrorMessage(0), testing::DoneMessage(0)});
  EXPECT_EQ(parser.Parse(bytes), bytes.size());
  EXPECT_EQ(parser.dumps_done(), 1u);
}

TEST(DumpParserTest, TruncatedErrorMessageIsMalformed) {
  EXPECT_EQ(ReasonOf(testing::RawMessage(NLMSG_ERROR, 18, 2)),
            CollectErrorReason::kMalformed);
}

TEST(DumpParserTest, ErrorInsideDoneFailsTheDump) {
  EXPECT_EQ(ReasonOf(testing::Concat({testing::DiagMessage(AF_INET, 1, 1, 2),
                                      testing::DoneMessage(-ENOBUFS)})),
            CollectErrorReason::kNetlinkError);
}

TEST(DumpParserTest, DoneWithoutPayloadFromOldKernelsEndsTheDump) {
  CountingSink sink;
  DumpParser parser(sink);
  const Bytes bytes = testing::DoneMessage(0, /*with_payload=*/false);
  EXPECT_EQ(parser.Parse(bytes), bytes.size());
  EXPECT_EQ(parser.dumps_done(), 1u);
}

TEST(DumpParserTest, DumpInterruptedFlagIsReported) {
  CountingSink sink;
  DumpParser parser(sink);
  parser.Parse(
      testing::Concat({testing::DiagMessage(AF_INET, 1, 1, 2, NLM_F_DUMP_INTR),
                       testing::DoneMessage(0)}));
  EXPECT_TRUE(parser.interrupted());
  EXPECT_EQ(parser.records(), 1u);
}

TEST(DumpParserTest,
     RequestSocketStateCountsAsSynRecvAndUnknownStatesAreSkipped) {
  CountingSink sink;
  DumpParser parser(sink);
  parser.Parse(testing::Concat({testing::DiagMessage(AF_INET6, 12, 443, 50000),
                                testing::DiagMessage(AF_INET, 13, 80, 0),
                                testing::DiagMessage(AF_INET, 0, 80, 0)}));
  EXPECT_EQ(sink.counts[1][Index(TcpState::kSynRecv)], 1u);
  EXPECT_EQ(parser.records(), 1u);
  EXPECT_EQ(parser.records_ignored(), 2u);
}

TEST(DumpParserTest, PortsAreConvertedToHostOrder) {
  CountingSink sink;
  DumpParser parser(sink);
  parser.Parse(testing::DiagMessage(AF_INET, 1, 8080, 51234));
  EXPECT_EQ(sink.last.local_port, 8080);
  EXPECT_EQ(sink.last.remote_port, 51234);
  EXPECT_EQ(sink.last.state, TcpState::kEstablished);
}

TEST(DumpParserTest, ReadsTheLastAckTimeFromTcpInfo) {
  CountingSink sink;
  DumpParser parser(sink);
  parser.Parse(testing::DiagMessageWithAttribute(INET_DIAG_INFO,
                                                 sizeof(tcp_info), 61000));
  EXPECT_TRUE(sink.last.has_tcp_info);
  EXPECT_EQ(sink.last.last_ack_recv_ms, 61000u);
}

TEST(DumpParserTest, TcpInfoTooShortForTheFieldIsIgnored) {
  CountingSink sink;
  DumpParser parser(sink);
  parser.Parse(testing::DiagMessageWithAttribute(INET_DIAG_INFO, 16, 61000));
  EXPECT_FALSE(sink.last.has_tcp_info);
  EXPECT_EQ(parser.records(), 1u);
}

TEST(DumpParserTest, AttributeLongerThanItsMessageIsMalformed) {
  EXPECT_EQ(
      ReasonOf(testing::DiagMessageWithAttribute(INET_DIAG_INFO, 8, 0, 200)),
      CollectErrorReason::kMalformed);
  EXPECT_EQ(
      ReasonOf(testing::DiagMessageWithAttribute(INET_DIAG_INFO, 8, 0, 2)),
      CollectErrorReason::kMalformed);
}

TEST(DumpParserTest, UnpaddedLastMessageIsConsumed) {
  const Bytes odd = testing::RawMessage(NLMSG_NOOP, 17, 1);
  CountingSink sink;
  DumpParser parser(sink);
  EXPECT_EQ(parser.Parse(odd), odd.size());
}

}  // namespace
}  // namespace tcpstated
