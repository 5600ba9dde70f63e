// The endpoint under load and abuse. Clients stand at different loopback
// addresses (127.0.0.x), as different hosts would: the per-client limit is
// what keeps one of them from taking every connection.
#include <crypt.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "daemon_fixture.h"

namespace tcpstated::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

class WebLoadTest : public DaemonTest {
 protected:
  // `count` scrapes from 127.0.0.1, a fifth of a second apart (the abuse
  // goes on meanwhile), each answered 200 within a second.
  void ExpectPromptScrapes(int count, const std::string& auth = "") {
    for (int i = 0; i < count; ++i) {
      if (i > 0) std::this_thread::sleep_for(milliseconds(200));
      const auto started = Clock::now();
      const auto status = Scrape(auth).status;
      const auto took = Clock::now() - started;
      EXPECT_EQ(status, 200) << "scrape " << i;
      EXPECT_LT(took, seconds(1)) << "scrape " << i;
    }
  }
};

TEST_F(WebLoadTest, TwoHundredConcurrentScrapesAllSucceed) {
  auto daemon = StartDaemon({"--collect.interval", "1h"});
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 200; ++i) {
    clients.emplace_back([&, i] {
      const Endpoint from = From("127.0.0." + std::to_string(10 + i % 20));
      if (HttpGet(kPort, "/metrics", "", from).status == 200) ++ok;
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_TRUE(daemon->Running());
}

// Regression: with civetweb's thread per connection, 500 idle connections
// denied every scrape, and 200 clients trickling a byte a second most.
TEST_F(WebLoadTest, IdleAndTricklingClientsDoNotDelayOthersScrapes) {
  auto daemon = StartDaemon({"--collect.interval", "1h"});
  const Endpoint attacker = From("127.0.0.9");
  std::vector<int> idle, trickling;
  for (int i = 0; i < 500; ++i) {
    const int fd = ConnectTo(kPort, attacker);
    if (fd >= 0) idle.push_back(fd);
  }
  for (int i = 0; i < 200; ++i) {
    const int fd = ConnectTo(kPort, attacker);
    if (fd >= 0) trickling.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
    for (std::size_t byte = 0; !stop; ++byte) {
      for (int fd : trickling) {
        send(fd, &request[byte % request.size()], 1, MSG_NOSIGNAL);
      }
      for (int i = 0; i < 10 && !stop; ++i)
        std::this_thread::sleep_for(milliseconds(100));
    }
  });
  ExpectPromptScrapes(15);
  stop = true;
  trickle.join();
  for (int fd : idle) close(fd);
  for (int fd : trickling) close(fd);
  EXPECT_TRUE(daemon->Running());
}

// Regression: 100 parallel wrong passwords kept two cores on bcrypt and
// starved the right user's scrapes (0 of 8 within 1 s).
TEST_F(WebLoadTest, AWrongPasswordFloodLeavesTheRightUsersScrapesPrompt) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  // Cost 9 (~35 ms here): 100 checks in a row take ~3.5 s, within the
  // clients' 5 s timeout.
  crypt_gensalt_rn("$2b$", 9, nullptr, 0, salt, sizeof salt);
  crypt_data data{};
  const std::string web = TempPath("web.yml");
  std::ofstream(web) << "basic_auth_users:\n  prometheus: "
                     << crypt_r("right", salt, &data) << "\n";
  auto daemon = std::make_unique<ChildProcess>(std::vector<std::string>{
      kTcpstated, "run", "--config.file", "/dev/null", "--web.listen-address",
      "127.0.0.1:" + std::to_string(kPort), "--web.config.file", web,
      "--web.max-connections-per-client", "200"});
  ASSERT_TRUE(WaitFor([&] { return Scrape("prometheus:right").status == 200; },
                      seconds(10)))
      << daemon->Stderr();
  std::atomic<int> refused{0};
  std::vector<std::thread> flood;
  for (int i = 0; i < 100; ++i) {
    flood.emplace_back([&] {
      const auto r =
          HttpGet(kPort, "/metrics", "prometheus:wrong", From("127.0.0.3"));
      if (r.status == 401 || r.status == 429 || r.status == 503) ++refused;
    });
  }
  // The flood (~3.5 s of bcrypt in a row) is under way from here on.
  ExpectPromptScrapes(8, "prometheus:right");
  for (auto& t : flood) t.join();
  EXPECT_EQ(refused.load(), 100);
  std::remove(web.c_str());
}

}  // namespace
}  // namespace tcpstated::testing
