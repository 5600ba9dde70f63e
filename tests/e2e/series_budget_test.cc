// The series budget on a real container host's shape: 500 network
// namespaces of 50 listening ports each, watched all at once. One scrape
// holds at most collect.max-series series, promtool finds nothing wrong
// with it, and no socket goes uncounted.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "daemon_fixture.h"
#include "named_netns.h"
#include "socket_scenario.h"
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

// Listeners held by child processes, so that no one process needs 25,000
// descriptors: each child makes kPortsEach in each of its namespaces and
// holds them until the parent goes or Release() is called.
class ListenerHolders {
 public:
  static constexpr int kNamespacesPerChild = 25;

  explicit ListenerHolders(const std::vector<std::string>& paths) {
    int release[2];
    if (pipe(release) != 0) throw std::runtime_error("pipe");
    release_ = release[1];
    for (std::size_t first = 0; first < paths.size();
         first += kNamespacesPerChild) {
      int ready[2];
      if (pipe(ready) != 0) throw std::runtime_error("pipe");
      const pid_t pid = fork();
      if (pid == 0) {
        ::close(release[1]);
        ::close(ready[0]);
        _exit(Hold(paths, first, ready[1], release[0]));
      }
      ::close(ready[1]);
      char byte = 0;
      const bool held = pid > 0 && ::read(ready[0], &byte, 1) == 1;
      ::close(ready[0]);
      if (pid > 0) children_.push_back(pid);
      if (!held) throw std::runtime_error("a holder could not listen");
    }
    ::close(release[0]);
  }
  ~ListenerHolders() {
    ::close(release_);
    for (pid_t pid : children_) waitpid(pid, nullptr, 0);
  }

 private:
  static int Hold(const std::vector<std::string>& paths, std::size_t first,
                  int ready, int release) {
    try {
      rlimit files{};
      getrlimit(RLIMIT_NOFILE, &files);
      files.rlim_cur = files.rlim_max;
      setrlimit(RLIMIT_NOFILE, &files);
      SocketScenario scenario;
      for (std::size_t i = first;
           i < paths.size() && i < first + kNamespacesPerChild; ++i) {
        const InsideNetns inside(paths[i]);
        for (int p = 0; p < kPortsEach; ++p) {
          scenario.Listen(IpFamily::kV4, 0, 8);
        }
      }
      if (::write(ready, "r", 1) != 1) return 1;
      char byte;
      while (::read(release, &byte, 1) > 0) {
      }
      return 0;
    } catch (...) {
      return 1;
    }
  }

  int release_ = -1;
  std::vector<pid_t> children_;
};

class SeriesBudgetTest : public DaemonTest {};

TEST_F(SeriesBudgetTest, AHostOfFiveHundredNamespacesStaysWithinTheBudget) {
  const std::string prefix = "tcpstated-e2e-budget-" + std::to_string(getpid());
  std::vector<std::unique_ptr<NamedNetns>> namespaces;
  std::vector<std::string> paths;
  for (int i = 0; i < kNamespaces; ++i) {
    namespaces.push_back(
        std::make_unique<NamedNetns>(prefix + "-" + std::to_string(i)));
    paths.push_back(namespaces.back()->path());
  }
  const ListenerHolders holders(paths);
  auto daemon = StartDaemon({"--collect.netns", "all", "--collect.interval",
                             "1s", "--collect.max-series", "10000"});
  ASSERT_FALSE(HasFailure());
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
