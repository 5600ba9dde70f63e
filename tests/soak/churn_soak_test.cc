// Churn soak: connections opened and closed by the thousand per second in a
// private namespace while the daemon collects every second and is scraped
// concurrently and reloaded every second. TCPSTATED_SOAK_SECONDS sets the
// length (default 60, at most 300 in the suite).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <thread>

#include "daemon_fixture.h"
#include "socket_scenario.h"
#include "ss_counts.h"

namespace tcpstated::testing {
namespace {

constexpr int kChurnThreads = 2;
constexpr int kStablePairs = 500;
constexpr int kStableCloseWait = 100;
constexpr int kScrapers = 4;
// Sockets in flight at any instant besides the stable ones: a connection
// per churn thread, and one per scraper (plus the sampler's) to the daemon.
constexpr int kInFlight = kChurnThreads + kScrapers + 1;

long RssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

double Sum(const std::string& body, const std::string& state) {
  return SampleValue(
             body, "tcpstate_sockets{family=\"ipv4\",state=\"" + state + "\"}")
             .value_or(-1) +
         SampleValue(
             body, "tcpstate_sockets{family=\"ipv6\",state=\"" + state + "\"}")
             .value_or(-1);
}

double Total(const std::string& body) {
  double total = 0;
  for (TcpState s : kAllTcpStates)
    total += Sum(body, std::string(StateName(s)));
  return total;
}

class ChurnSoakTest : public DaemonTest {};

TEST_F(ChurnSoakTest, DaemonStaysExactAndFlatUnderChurn) {
  const char* env = std::getenv("TCPSTATED_SOAK_SECONDS");
  const int seconds = std::min(300, env ? std::atoi(env) : 60);
  std::ofstream("/proc/sys/net/ipv4/tcp_max_tw_buckets") << 2000000;

  SocketScenario stable;
  const auto service = stable.Listen(IpFamily::kV4, 0, 4096);
  stable.Established(IpFamily::kV4, service, kStablePairs);
  stable.CloseWait(IpFamily::kV4, service, kStableCloseWait, true);

  std::atomic<bool> stop{false};
  std::atomic<long> churned{0};
  std::vector<std::thread> churners;
  for (int t = 0; t < kChurnThreads; ++t) {
    churners.emplace_back([&] {
      SocketScenario churn;
      const auto port = churn.Listen(IpFamily::kV4, 0, 128);
      // About 1,500 connections per second per thread: open, accept, close.
      while (!stop) {
        churn.TimeWait(IpFamily::kV4, port, 15);
        churned += 15;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    });
  }

  // Reloaded every second with a config that alternates (interval, log
  // level, per-client limit): reloads under churn must cost no scrape.
  const std::string config = TempPath("tcpstated.conf");
  const auto write_config = [&](int n) {
    std::ofstream(config + ".new")
        << "collect.interval = \"" << (n % 2 ? "700ms" : "1s")
        << "\"\nlog.level = \"" << (n % 2 ? "debug" : "info")
        << "\"\nweb.allow = [\"127.0.0.0/8\", \"::1/128\"]\n";
    std::rename((config + ".new").c_str(), config.c_str());
  };
  write_config(0);
  auto daemon = StartDaemon({"--config.file", config});
  std::atomic<int> reloads{0};
  std::thread reloader([&] {
    for (int n = 1; !stop; ++n) {
      write_config(n);
      daemon->Signal(SIGHUP);
      ++reloads;
      for (int i = 0; i < 10 && !stop; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
  std::atomic<int> bad_scrapes{0}, scrapes{0};
  std::vector<std::thread> scrapers;
  for (int s = 0; s < kScrapers; ++s) {
    scrapers.emplace_back([&] {
      while (!stop) {
        if (Scrape().status != 200) ++bad_scrapes;
        ++scrapes;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }

  const long churned_before_warmup = churned;
  const int warmup = std::min(10, seconds / 3);
  std::this_thread::sleep_for(std::chrono::seconds(warmup));
  const long rss_start = RssKib(daemon->pid());
  const long churned_start = churned;
  // The churn rate before the comparisons start: early in the loop, the
  // rate measured since `started` is still a guess.
  const double warmup_rate =
      static_cast<double>(churned_start - churned_before_warmup) /
      std::max(warmup, 1);
  const auto started = std::chrono::steady_clock::now();
  int comparisons = 0;
  double worst_gap = 0;
  while (std::chrono::steady_clock::now() - started <
         std::chrono::seconds(seconds)) {
    const auto body = Scrape().body;
    const auto before_ss = std::chrono::steady_clock::now();
    const auto kernel = CountWithSs();
    const double ss_seconds = std::chrono::duration<double>(
                                  std::chrono::steady_clock::now() - before_ss)
                                  .count();
    // Stable states are exact up to the few sockets a churn thread has in
    // flight; the total moves with the churn by at most rate x time apart.
    // Listeners: the stable service, one per churn thread, the daemon's.
    EXPECT_EQ(Sum(body, "listen"), 1 + kChurnThreads + 1);
    EXPECT_GE(Sum(body, "established"), 2 * kStablePairs);
    EXPECT_LE(Sum(body, "established"), 2 * kStablePairs + 2 * kInFlight);
    EXPECT_GE(Sum(body, "close_wait"), kStableCloseWait);
    EXPECT_LE(Sum(body, "close_wait"), kStableCloseWait + kInFlight);
    const double elapsed = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - started)
                               .count();
    const double rate =
        std::max(warmup_rate, static_cast<double>(churned - churned_start) /
                                  std::max(elapsed, 1.0));
    const double age =
        SampleValue(body, "tcpstate_snapshot_age_seconds").value_or(99);
    double ss_total = 0;
    for (const auto& family : kernel) {
      for (auto n : family) ss_total += static_cast<double>(n);
    }
    const double gap = std::abs(Total(body) - ss_total);
    worst_gap = std::max(worst_gap, gap);
    EXPECT_LE(gap, rate * (age + ss_seconds + 1.0) + 8) << "age " << age;
    ++comparisons;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  const long rss_end = RssKib(daemon->pid());
  const auto final_body = Scrape().body;
  stop = true;
  for (auto& t : churners) t.join();
  for (auto& t : scrapers) t.join();
  reloader.join();
  std::remove(config.c_str());

  const double collections =
      SampleValue(final_body, "tcpstate_collections_total").value_or(0);
  double errors = 0;
  for (const char* reason :
       {"netlink_error", "truncated", "no_buffers", "malformed", "socket",
        "namespace", "io", "internal"}) {
    errors +=
        SampleValue(final_body,
                    std::string("tcpstate_collect_errors_total{reason=\"") +
                        reason + "\"}")
            .value_or(-1);
  }
  EXPECT_EQ(errors, 0);
  EXPECT_GE(collections, seconds);
  EXPECT_EQ(bad_scrapes.load(), 0);
  EXPECT_GE(reloads.load(), seconds);
  EXPECT_EQ(CountOccurrences(daemon->Stderr(), "reload failed"), 0);
  EXPECT_LT(static_cast<double>(rss_end), static_cast<double>(rss_start) * 1.10)
      << "RSS " << rss_start << " -> " << rss_end << " KiB";
  EXPECT_TRUE(daemon->Running());
  std::printf(
      "soak: %d s, %.0f connections/s, %.0f collections, %d scrapes, %d "
      "reloads, %d ss "
      "comparisons (worst total gap %.0f sockets, %.0f TIME_WAIT at the end), "
      "RSS %ld -> %ld KiB\n",
      seconds, static_cast<double>(churned - churned_start) / seconds,
      collections, scrapes.load(), reloads.load(), comparisons, worst_gap,
      Sum(final_body, "time_wait"), rss_start, rss_end);
}

}  // namespace
}  // namespace tcpstated::testing
