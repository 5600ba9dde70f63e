// The front in-process, over real loopback sockets.
#include "tcpstated/web/http_front.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "tcpstated/web/web_config.h"

namespace tcpstated {
namespace {

std::string Get(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) ==
      0) {
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buffer[4096];
    ssize_t got;
    while ((got = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
      reply.append(buffer, static_cast<std::size_t>(got));
    }
  }
  ::close(fd);
  return reply;
}

// Metrics the front knows nothing about: a fixed shared part, a tail that
// counts the scrapes.
class FakeContent final : public MetricsContent {
 public:
  ScrapeBody Body(bool gzip) override {
    if (out_of_memory) throw std::bad_alloc();
    const int n = ++bodies;
    auto shared = std::make_shared<const std::string>(gzip ? "(gzip)"
                                                           : "# shared part\n");
    return {shared, *shared, "tail " + std::to_string(n) + "\n"};
  }
  bool Ready() const override { return ready; }
  std::atomic<int> bodies{0};
  std::atomic<bool> ready{false};
  std::atomic<bool> out_of_memory{false};
};

class HttpFrontTest : public ::testing::Test {
 protected:
  HttpFrontOptions Options() {
    HttpFrontOptions options;
    options.listen_addresses = {"127.0.0.1:0"};
    return options;
  }
  FakeContent store_;
};

TEST_F(HttpFrontTest, ServesPagesAndStatusCodes) {
  HttpFront front(Options(), store_);
  const int port = front.Ports().at(0);
  EXPECT_EQ(Get(port, "GET /metrics HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 200", 0),
            0u);
  EXPECT_EQ(Get(port, "GET /nope HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 404", 0),
            0u);
  const std::string post = Get(port, "POST /metrics HTTP/1.0\r\n\r\n");
  EXPECT_EQ(post.rfind("HTTP/1.1 405", 0), 0u) << post;
  EXPECT_NE(post.find("Allow: GET, HEAD"), std::string::npos);
  EXPECT_EQ(
      Get(port, "GET /-/healthy HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 200", 0),
      0u);
  EXPECT_EQ(Get(port, "GET /-/ready HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 503", 0),
            0u)
      << "no snapshot yet";
  const std::string head = Get(port, "HEAD /metrics HTTP/1.0\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(head.find("tcpstate_"), std::string::npos) << "HEAD has no body";
  const std::string landing = Get(port, "GET / HTTP/1.0\r\n\r\n");
  EXPECT_NE(landing.find("<a href=\"/metrics\">"), std::string::npos);
  // Regression: a WebSocket upgrade got "Error 404" without a status line.
  const std::string upgrade =
      Get(port,
          "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\n"
          "Upgrade: websocket\r\n\r\n");
  EXPECT_EQ(upgrade.rfind("HTTP/1.1 404", 0), 0u) << upgrade;
}

TEST_F(HttpFrontTest, EachScrapeSendsTheSharedPartAndItsOwnTail) {
  HttpFront front(Options(), store_);
  const int port = front.Ports().at(0);
  const std::string first = Get(port, "GET /metrics HTTP/1.0\r\n\r\n");
  EXPECT_NE(first.find("\r\n\r\n# shared part\ntail 1\n"), std::string::npos)
      << first;
  const std::string gzip = Get(port,
                               "GET /metrics HTTP/1.0\r\n"
                               "Accept-Encoding: gzip\r\n\r\n");
  EXPECT_NE(gzip.find("Content-Encoding: gzip"), std::string::npos) << gzip;
  EXPECT_NE(gzip.find("\r\n\r\n(gzip)tail 2\n"), std::string::npos) << gzip;
  EXPECT_EQ(store_.bodies, 2);
  store_.ready = true;
  EXPECT_EQ(Get(port, "GET /-/ready HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 200", 0),
            0u);
}

TEST_F(HttpFrontTest, ABadWebConfigOnReloadKeepsTheRunningOne) {
  HttpFront front(Options(), store_);
  HttpFrontOptions bad = Options();
  bad.web_config_file = "/nonexistent/web.yml";
  EXPECT_THROW(front.Reload(bad), WebConfigError);
  EXPECT_EQ(Get(front.Ports().at(0), "GET /metrics HTTP/1.0\r\n\r\n")
                .rfind("HTTP/1.1 200", 0),
            0u);
}

// Regression: "%00" decoded to a NUL ended the path ("/metrics" served),
// and framing two readers could read differently was served, or hung
// until the timeout (an unknown Transfer-Encoding).
TEST_F(HttpFrontTest, RequestsThatCannotBeFramedAreRefusedAndClosed) {
  HttpFront front(Options(), store_);
  const int port = front.Ports().at(0);
  const struct {
    const char* request;
    const char* status;
  } cases[] = {
      {"GET /metrics%00 HTTP/1.0\r\n\r\n", "HTTP/1.1 404"},
      {"GET /metrics%00.txt HTTP/1.0\r\n\r\n", "HTTP/1.1 404"},
      {"GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 400"},
      {"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
       "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       "HTTP/1.1 400"},
      {"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
       "Content-Length: 4\r\n\r\nabcd",
       "HTTP/1.1 400"},
      {"POST /metrics HTTP/1.1\r\nHost: x\r\n"
       "Transfer-Encoding: xchunked\r\n\r\n",
       "HTTP/1.1 501"},
  };
  for (const auto& c : cases) {
    const std::string reply = Get(port, c.request);
    EXPECT_EQ(reply.rfind(c.status, 0), 0u) << c.request << reply;
  }
  EXPECT_EQ(store_.bodies, 0);
}

TEST_F(HttpFrontTest, OutOfMemoryForAScrapeIsA503AndOneLogLine) {
  std::vector<std::string> lines;
  std::mutex mutex;
  HttpFront front(Options(), store_, [&](LogLevel level, const std::string& l) {
    std::lock_guard lock(mutex);
    if (level == LogLevel::kError) lines.push_back(l);
  });
  store_.out_of_memory = true;
  for (int i = 0; i < 3; ++i) {
    const std::string reply =
        Get(front.Ports().at(0), "GET /metrics HTTP/1.0\r\n\r\n");
    EXPECT_EQ(reply.rfind("HTTP/1.1 503", 0), 0u) << reply;
  }
  std::lock_guard lock(mutex);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("out of memory"), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace tcpstated
