#include "tcpstated/diag/replay_source.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "netlink_messages.h"
#include "tcpstated/model/collect_error.h"

namespace tcpstated {
namespace {

using testing::Bytes;

class NullSink : public RecordSink {
 public:
  void OnRecord(const SocketRecord&) noexcept override { ++records; }
  int records = 0;
};

class ReplaySourceTest : public ::testing::Test {
 protected:
  std::string Write(const Bytes& bytes) {
    testing::WriteFile(path_, bytes);
    return path_;
  }
  void TearDown() override { std::remove(path_.c_str()); }

  CollectErrorReason ReasonOf(const Bytes& bytes) {
    ReplaySource source(Write(bytes));
    NullSink sink;
    try {
      source.Dump(sink);
    } catch (const CollectError& error) {
      return error.reason();
    }
    ADD_FAILURE() << "replay of " << bytes.size() << " bytes did not fail";
    return CollectErrorReason::kSocket;
  }

  // Unique per test and process: ctest runs tests in parallel.
  std::string path_ =
      ::testing::TempDir() + "/replay_" +
      ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
      std::to_string(getpid()) + ".dump";
};

TEST_F(ReplaySourceTest, EachDumpStartsAgainFromTheBeginning) {
  ReplaySource source(testing::FixturePath("mixed-legacy.dump"));
  NullSink sink;
  source.Dump(sink);
  source.Dump(sink);
  EXPECT_EQ(sink.records, 60);
}

TEST_F(ReplaySourceTest, MissingFileIsAnIoError) {
  ReplaySource source("/nonexistent/dump");
  NullSink sink;
  try {
    source.Dump(sink);
    FAIL();
  } catch (const CollectError& error) {
    EXPECT_EQ(error.reason(), CollectErrorReason::kIo);
  }
}

TEST_F(ReplaySourceTest, EveryTruncationOfARealDumpFails) {
  const Bytes dump =
      testing::ReadFile(testing::FixturePath("mixed-legacy.dump"));
  for (std::size_t length = 0; length < dump.size(); ++length) {
    EXPECT_EQ(
        ReasonOf(Bytes(dump.begin(), dump.begin() + static_cast<long>(length))),
        CollectErrorReason::kMalformed)
        << "truncated at " << length;
  }
}

TEST_F(ReplaySourceTest, RecordsAfterTheLastDoneMeanAnIncompleteDump) {
  EXPECT_EQ(ReasonOf(testing::Concat({testing::DoneMessage(0),
                                      testing::DiagMessage(AF_INET, 1, 1, 2)})),
            CollectErrorReason::kMalformed);
}

TEST_F(ReplaySourceTest, RecordedKernelErrorFailsTheReplay) {
  EXPECT_EQ(ReasonOf(testing::Concat({testing::DiagMessage(AF_INET, 1, 1, 2),
                                      testing::ErrorMessage(-ENOBUFS)})),
            CollectErrorReason::kNetlinkError);
}

TEST_F(ReplaySourceTest, CorruptedLengthInsideARealDumpFails) {
  Bytes dump = testing::ReadFile(testing::FixturePath("mixed-legacy.dump"));
  const std::uint32_t bogus = 7;  // shorter than a netlink header
  std::memcpy(dump.data() + 200 * 0, &bogus, sizeof bogus);
  EXPECT_EQ(ReasonOf(dump), CollectErrorReason::kMalformed);
}

TEST_F(ReplaySourceTest,
       OversizedDeclaredLengthFailsWithoutReadingPastTheFile) {
  Bytes dump = testing::ReadFile(testing::FixturePath("mixed-legacy.dump"));
  const std::uint32_t huge = 0x7ffffff0u;
  std::memcpy(dump.data(), &huge, sizeof huge);
  EXPECT_EQ(ReasonOf(dump), CollectErrorReason::kMalformed);
}

}  // namespace
}  // namespace tcpstated
