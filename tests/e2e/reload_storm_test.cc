// Reloads under load: the logger, the collection settings and the web
// config replaced hundreds of times while scrapes keep coming. Before the
// logger was built once, a SIGHUP freed it under a logging thread.
#include <signal.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "daemon_fixture.h"

namespace tcpstated::testing {
namespace {

class ReloadStormTest : public DaemonTest {};

TEST_F(ReloadStormTest, ThreeHundredSighupsInSixSecondsLoseNoScrape) {
  const std::string tls = TCPSTATED_FIXTURES "/tls";
  const std::string config = TempPath("tcpstated.conf");
  const std::string web = TempPath("web.yml");
  // Replaced by rename, as editors save: a reload never reads half a file.
  const auto replace = [](const std::string& path, const std::string& text) {
    std::ofstream(path + ".new") << text;
    std::rename((path + ".new").c_str(), path.c_str());
  };
  const auto write = [&](int n) {
    replace(web, std::string("http_server_config:\n  headers:\n") +
                     "    X-Frame-Options: " + (n % 2 ? "deny" : "sameorigin") +
                     "\n");
    replace(config, std::string("collect.interval = \"") +
                        (n % 2 ? "100" : "150") + "ms\"\nlog.level = \"" +
                        (n % 2 ? "debug" : "info") +
                        "\"\nweb.config.file = \"" + web + "\"\n");
  };
  write(0);
  auto daemon = StartDaemon({"--config.file", config});
  std::atomic<bool> stop{false};
  std::atomic<int> scrapes{0}, failed{0};
  std::thread scraper([&] {
    while (!stop) {
      const auto r = Scrape();
      ++scrapes;
      if (r.status != 200 ||
          r.body.find("tcpstate_collect_success 1\n") == std::string::npos) {
        ++failed;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // pacing
    }
  });
  const auto start = std::chrono::steady_clock::now();
  for (int n = 1; n <= 300; ++n) {
    write(n);
    daemon->Signal(SIGHUP);
    std::this_thread::sleep_until(start + std::chrono::milliseconds(20 * n));
  }
  // Every reload is read: the last one's interval and header are in force.
  EXPECT_TRUE(WaitFor(
      [&] {
        return HttpGet(kPort, "/")
                   .headers.find("X-Frame-Options: sameorigin") !=
               std::string::npos;
      },
      std::chrono::seconds(5)));
  stop = true;
  scraper.join();
  EXPECT_GT(scrapes.load(), 80);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_TRUE(daemon->Running()) << daemon->Stderr();
  EXPECT_EQ(CountOccurrences(daemon->Stderr(), "reload failed"), 0)
      << daemon->Stderr();
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->WaitExit(std::chrono::seconds(5)), 0);
  std::remove(config.c_str());
  std::remove(web.c_str());
}

}  // namespace
}  // namespace tcpstated::testing
