#include "logging.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace tcpstated {
namespace {

// Regression: a reload rebuilt the logger with set_default_logger while the
// collection thread was inside a call on the old one (use after free).
// Now the logger is built once and a reload only changes its level.
TEST(LoggingTest, AReloadChangesTheLevelOfTheSameLogger) {
  SetUpLogging("info", "stderr");
  const void* const logger = CurrentLogger();
  SetLogLevel("debug");
  EXPECT_EQ(CurrentLogger(), logger);
  EXPECT_EQ(CurrentLogLevel(), "debug");
  SetLogLevel("error");
  EXPECT_EQ(CurrentLogger(), logger);
  EXPECT_EQ(CurrentLogLevel(), "error");
}

TEST(LoggingTest, JournalStreamMustNameOurStderr) {
  struct stat st {};
  ASSERT_EQ(::fstat(STDERR_FILENO, &st), 0);
  const std::string ours =
      std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  EXPECT_TRUE(StderrIsJournal(ours.c_str(), STDERR_FILENO));
  EXPECT_FALSE(StderrIsJournal(nullptr, STDERR_FILENO));
  EXPECT_FALSE(StderrIsJournal("8:1234567", STDERR_FILENO));
  EXPECT_FALSE(StderrIsJournal((ours + "x").c_str(), STDERR_FILENO));
  EXPECT_FALSE(StderrIsJournal("garbage", STDERR_FILENO));
}

// Regression: with the journal wanted but journald not there, every line
// was lost.
TEST(LoggingTest, AnUnreachableJournalFallsBackToStderr) {
  struct stat st {};
  if (::stat("/run/systemd/journal/socket", &st) == 0) {
    GTEST_SKIP() << "journald runs here";
  }
  SetUpLogging("info", "journal");
  EXPECT_TRUE(LoggingToStderr());
  SetUpLogging("info", "stderr");
}

}  // namespace
}  // namespace tcpstated
