// The endpoint under load and abuse: many clients at once, and clients that
// connect and never finish their request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "daemon_fixture.h"

namespace tcpstated::testing {
namespace {

class HttpAbuseTest : public DaemonTest {};

TEST_F(HttpAbuseTest, TwoHundredConcurrentScrapesAllSucceed) {
  auto daemon = StartDaemon({"--collect.interval", "1h"});
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 200; ++i) {
    clients.emplace_back([&] {
      if (Scrape().status == 200) ++ok;
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_TRUE(daemon->Running());
}

TEST_F(HttpAbuseTest, SlowClientsDoNotDelayScrapesBeyondOneSecond) {
  auto daemon = StartDaemon({"--collect.interval", "1h"});
  std::vector<int> slow;
  for (int i = 0; i < 50; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(kPort);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(
        connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const char partial[] =
        "GET /metrics HTTP/1.1\r\nHost: 127.0";  // never ends
    send(fd, partial, sizeof partial - 1, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  for (int i = 0; i < 5; ++i) {
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(Scrape().status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - started,
              std::chrono::seconds(1));
  }
  for (int fd : slow) close(fd);
  EXPECT_TRUE(daemon->Running());
}

}  // namespace
}  // namespace tcpstated::testing
