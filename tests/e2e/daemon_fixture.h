#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "process.h"

namespace tcpstated::testing {

inline const std::string kTcpstated = TCPSTATED_BINARY;

// The value of the sample whose name and labels are exactly `series`
// (e.g. `tcpstate_sockets{family="ipv4",state="listen"}`).
std::optional<double> SampleValue(const std::string& exposition,
                                  const std::string& series);

// How many times `needle` occurs in `text` (e.g. a log line).
int CountOccurrences(const std::string& text, const std::string& needle);

// Each e2e test runs in its own network namespace, so fixed ports are
// collision-free and socket counts exact.
class DaemonTest : public ::testing::Test {
 protected:
  static constexpr int kPort = 10039;

  void SetUp() override;
  // Starts `tcpstated run` on 127.0.0.1:kPort and waits for its first
  // snapshot. Fails the test if it does not come within 10 s.
  std::unique_ptr<ChildProcess> StartDaemon(std::vector<std::string> args);
  HttpResponse Scrape(const std::string& auth = "") const {
    return HttpGet(kPort, "/metrics", auth);
  }
  std::string TempPath(const std::string& name) const;
  // A file under TempPath with `text`, removed when the test ends (as is
  // anything the test adds to created_).
  std::string WriteFile(const std::string& name, const std::string& text);
  void TearDown() override;
  std::vector<std::string> created_;
};

}  // namespace tcpstated::testing
