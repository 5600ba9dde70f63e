// The series budget on a real container host's shape: 500 network
// namespaces of 50 listening ports each, watched all at once. One scrape
// holds at most collect.max-series series, promtool finds nothing wrong
// with it, and no socket goes uncounted.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon_fixture.h"
#include "named_netns.h"
#include "ss_counts.h"

namespace tcpstated::testing {
namespace {

constexpr int kNamespaces = 500;
constexpr int kPortsEach = 50;

std::size_t SeriesIn(const std::string& exposition) {
  std::size_t series = 0;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') ++series;
  }
  return series;
}

// Listening sockets summed over every namespace's tcpstate_sockets.
double ListenersExposed(const std::string& exposition) {
  double sum = 0;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("tcpstate_sockets{") &&
        line.find("state=\"listen\"") != std::string::npos) {
      sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return sum;
}

// kPortsEach listeners in a namespace, held by the project's socket helper
// (so that no one process needs 25,000 descriptors) until the object goes
// and the helper's stdin closes.
class NamespaceListeners {
 public:
  explicit NamespaceListeners(const std::string& netns) {
    std::string command =
        "exec ip netns exec " + netns + " " + TCPSTATED_SOCKETS_BINARY;
    for (int p = 0; p < kPortsEach; ++p) command += " listen:v4:0:8";
    holder_ = popen((command + " >/dev/null").c_str(), "w");
    if (holder_ == nullptr) throw std::runtime_error("popen: " + command);
  }
  ~NamespaceListeners() { pclose(holder_); }
  NamespaceListeners(const NamespaceListeners&) = delete;
  NamespaceListeners& operator=(const NamespaceListeners&) = delete;

 private:
  FILE* holder_ = nullptr;
};

class SeriesBudgetTest : public DaemonTest {};

TEST_F(SeriesBudgetTest, AHostOfFiveHundredNamespacesStaysWithinTheBudget) {
  const std::string prefix = "tcpstated-e2e-budget-" + std::to_string(getpid());
  std::vector<std::unique_ptr<NamedNetns>> namespaces;
  std::vector<std::unique_ptr<NamespaceListeners>> listeners;
  for (int i = 0; i < kNamespaces; ++i) {
    namespaces.push_back(
        std::make_unique<NamedNetns>(prefix + "-" + std::to_string(i)));
    listeners.push_back(
        std::make_unique<NamespaceListeners>(namespaces.back()->name()));
  }
  auto daemon = StartDaemon({"--collect.netns", "all", "--collect.interval",
                             "1s", "--collect.max-series", "10000"});
  ASSERT_FALSE(HasFailure());
  // Until every helper has made its listeners and the daemon swept them.
  std::string body;
  ASSERT_TRUE(WaitFor(
      [&] {
        body = Scrape().body;
        return ListenersExposed(body) >= kNamespaces * kPortsEach;
      },
      std::chrono::seconds(60)))
      << "listeners exposed: " << ListenersExposed(body);
  EXPECT_LE(SeriesIn(body), 10'000u);
  EXPECT_GT(SampleValue(body, "tcpstate_series_folded").value_or(0), 0);
  EXPECT_GE(SampleValue(body, "tcpstate_netns_folded").value_or(0),
            kNamespaces - 200);
  EXPECT_EQ(SampleValue(body, "tcpstate_netns_info{netns=\"other\"}"), 1);
  const auto lint =
      RunCommand("promtool check metrics < " + WriteFile("metrics", body));
  EXPECT_EQ(lint.out + lint.err, "");
}

}  // namespace
}  // namespace tcpstated::testing
