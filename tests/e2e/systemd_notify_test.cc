// sd_notify protocol, with the test standing in for systemd: a datagram
// socket named by NOTIFY_SOCKET.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "daemon_fixture.h"
#include "socket_scenario.h"

namespace tcpstated::testing {
namespace {

class FakeSystemd {
 public:
  explicit FakeSystemd(std::string path) : path_(std::move(path)) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.copy(address.sun_path, sizeof address.sun_path - 1);
    unlink(path_.c_str());
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address),
              0);
    timeval timeout{0, 100000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~FakeSystemd() {
    close(fd_);
    unlink(path_.c_str());
  }
  // Every message received within `window`, concatenated.
  std::string Receive(std::chrono::milliseconds window) {
    std::string all;
    const auto end = std::chrono::steady_clock::now() + window;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < end) {
      const ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
      if (got > 0)
        all.append(buffer, static_cast<std::size_t>(got)).append("\n");
    }
    return all;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

class SystemdNotifyTest : public DaemonTest {};

TEST_F(SystemdNotifyTest, ReadyWatchdogAndStoppingAreSentAtTheRightTimes) {
  FakeSystemd systemd(TempPath("notify"));
  ChildProcess daemon(
      {kTcpstated, "run", "--config.file", "/dev/null", "--web.listen-address",
       "127.0.0.1:" + std::to_string(kPort), "--collect.interval", "1h"},
      {"NOTIFY_SOCKET=" + systemd.path(), "WATCHDOG_USEC=400000"});
  const std::string startup = systemd.Receive(std::chrono::milliseconds(1500));
  EXPECT_NE(startup.find("READY=1"), std::string::npos) << startup;
  EXPECT_EQ(Scrape().status, 200) << "READY only once serving";
  // A 1 h interval, yet pings every 200 ms (half of WatchdogSec) while idle.
  EXPECT_GE(
      CountOccurrences(systemd.Receive(std::chrono::seconds(1)), "WATCHDOG=1"),
      3);
  daemon.Signal(SIGTERM);
  EXPECT_NE(systemd.Receive(std::chrono::milliseconds(500)).find("STOPPING=1"),
            std::string::npos);
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(2)), 0);
}

TEST_F(SystemdNotifyTest, WatchdogStopsWhenACollectionHangs) {
  FakeSystemd systemd(TempPath("notify"));
  // Replaying from a FIFO: the first collection reads what the writer
  // below provides; the next one blocks in open() with no writer.
  const std::string fifo = TempPath("dump.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ifstream dump(TCPSTATED_FIXTURES "/mixed-legacy.dump",
                       std::ios::binary);
    std::ofstream(fifo, std::ios::binary) << dump.rdbuf();
  });
  ChildProcess daemon(
      {kTcpstated, "run", "--config.file", "/dev/null", "--web.listen-address",
       "127.0.0.1:" + std::to_string(kPort), "--collect.interval", "300ms",
       "--collect.replay-dump", fifo},
      {"NOTIFY_SOCKET=" + systemd.path(), "WATCHDOG_USEC=400000"});
  writer.join();
  EXPECT_NE(systemd.Receive(std::chrono::milliseconds(800)).find("READY=1"),
            std::string::npos);
  // From now on the collection thread is stuck in open(): no more pings.
  EXPECT_EQ(CountOccurrences(systemd.Receive(std::chrono::milliseconds(1500)),
                             "WATCHDOG=1"),
            0);
  EXPECT_EQ(Scrape().status, 200)
      << "scrapes still served from the last snapshot";
  daemon.Signal(SIGKILL);
  unlink(fifo.c_str());
}

}  // namespace
}  // namespace tcpstated::testing
