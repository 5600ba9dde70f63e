#include "tcpstated/model/duration.h"

#include <gtest/gtest.h>

namespace tcpstated {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ParseDurationTest, ReadsWhatGoAndPrometheusUsersWrite) {
  EXPECT_EQ(ParseDuration("1s"), seconds(1));
  EXPECT_EQ(ParseDuration("1m30s"), seconds(90));
  EXPECT_EQ(ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(ParseDuration("0"), std::chrono::nanoseconds(0));
  EXPECT_EQ(ParseDuration("0s"), std::chrono::nanoseconds(0));
  EXPECT_EQ(ParseDuration("1.5h"), std::chrono::minutes(90));
  EXPECT_EQ(ParseDuration("2h45m"), std::chrono::minutes(165));
}

TEST(ParseDurationTest, RefusesAnythingElse) {
  for (const char* bad : {"", "1", "s", "-1s", "+1s", "1x", "nans", "1e400h",
                          "1.5.5s", "15 s", " 15s", "1d", "9000000h"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
}

TEST(FormatDurationTest, WritesWhatParseDurationReadsBack) {
  EXPECT_EQ(FormatDuration(seconds(15)), "15s");
  EXPECT_EQ(FormatDuration(seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(seconds(300)), "5m");
  EXPECT_EQ(FormatDuration(seconds(3600)), "1h");
  EXPECT_EQ(FormatDuration(milliseconds(250)), "250ms");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1.500s");
  EXPECT_EQ(FormatDuration(seconds(0)), "0s");
  for (auto d : {seconds(15), seconds(3725), seconds(59), seconds(61)}) {
    EXPECT_EQ(ParseDuration(FormatDuration(d)), d) << FormatDuration(d);
  }
  EXPECT_EQ(ParseDuration(FormatDuration(milliseconds(1500))),
            milliseconds(1500));
}

}  // namespace
}  // namespace tcpstated
