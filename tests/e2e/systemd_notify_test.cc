// sd_notify protocol, with the test standing in for systemd: a datagram
// socket named by NOTIFY_SOCKET.
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
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
  // Receives until a message contains `needle` or Patient(`timeout`)
  // passes; returns where it was found in what came (npos: it did not come).
  std::size_t ReceiveUntil(const std::string& needle,
                           std::chrono::milliseconds timeout) {
    std::string all;
    const auto end = std::chrono::steady_clock::now() + Patient(timeout);
    char buffer[4096];
    while (std::chrono::steady_clock::now() < end) {
      const ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
      if (got <= 0) continue;
      all.append(buffer, static_cast<std::size_t>(got)).append("\n");
      if (const auto at = all.find(needle); at != std::string::npos) return at;
    }
    return std::string::npos;
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

// Freezes one thread of another process (ptrace stops a single thread;
// SIGSTOP would stop them all), as a collection stuck in the kernel would
// be, and lets it go when destroyed.
class FrozenThread {
 public:
  FrozenThread(pid_t pid, const std::string& name) {
    for (const auto& task : std::filesystem::directory_iterator(
             "/proc/" + std::to_string(pid) + "/task")) {
      std::string comm;
      std::getline(std::ifstream(task.path() / "comm"), comm);
      if (comm == name) tid_ = std::stoi(task.path().filename());
    }
    if (tid_ <= 0) return;
    if (ptrace(PTRACE_SEIZE, tid_, nullptr, nullptr) != 0 ||
        ptrace(PTRACE_INTERRUPT, tid_, nullptr, nullptr) != 0) {
      tid_ = -1;
      return;
    }
    int status = 0;
    waitpid(tid_, &status, __WALL);
  }
  ~FrozenThread() {
    if (tid_ > 0) ptrace(PTRACE_DETACH, tid_, nullptr, nullptr);
  }
  FrozenThread(const FrozenThread&) = delete;
  FrozenThread& operator=(const FrozenThread&) = delete;
  bool frozen() const { return tid_ > 0; }

 private:
  pid_t tid_ = -1;
};

TEST_F(SystemdNotifyTest, WatchdogStopsWhenTheCollectionThreadMakesNoProgress) {
  FakeSystemd systemd(TempPath("notify"));
  ChildProcess daemon(
      {kTcpstated, "run", "--config.file", "/dev/null", "--web.listen-address",
       "127.0.0.1:" + std::to_string(kPort), "--collect.interval", "300ms"},
      {"NOTIFY_SOCKET=" + systemd.path(), "WATCHDOG_USEC=400000"});
  ASSERT_NE(systemd.ReceiveUntil("READY=1", std::chrono::seconds(10)),
            std::string::npos);
  ASSERT_NE(systemd.ReceiveUntil("WATCHDOG=1", std::chrono::seconds(2)),
            std::string::npos);
  {
    const FrozenThread collector(daemon.pid(), "collect");
    ASSERT_TRUE(collector.frozen()) << "no thread named collect";
    systemd.Receive(std::chrono::milliseconds(100));  // one in flight
    EXPECT_EQ(CountOccurrences(systemd.Receive(std::chrono::milliseconds(1500)),
                               "WATCHDOG=1"),
              0);
    EXPECT_EQ(Scrape().status, 200)
        << "scrapes still served from the last snapshot";
  }
  // Thawed: progress, and pings, again.
  EXPECT_NE(systemd.ReceiveUntil("WATCHDOG=1", std::chrono::seconds(5)),
            std::string::npos);
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(5)), 0);
}

// Regression: a SIGHUP during start-up sent READY=1 before the first
// snapshot. Here the first collections fail (a malformed dump) until the
// dump is mended; READY=1 waits for that.
TEST_F(SystemdNotifyTest, ReadyWaitsForTheFirstSnapshotWhateverTheSignals) {
  FakeSystemd systemd(TempPath("notify"));
  const std::string dump = TempPath("dump");
  std::ofstream(dump) << "not a dump";
  ChildProcess daemon(
      {kTcpstated, "run", "--config.file", "/dev/null", "--web.listen-address",
       "127.0.0.1:" + std::to_string(kPort), "--collect.interval", "200ms",
       "--collect.replay-dump", dump},
      {"NOTIFY_SOCKET=" + systemd.path()});
  ASSERT_TRUE(WaitFor(
      [&] {
        return daemon.Stderr().find("collection failed") != std::string::npos;
      },
      std::chrono::seconds(10)));
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return daemon.Stderr().find("configuration reloaded") !=
               std::string::npos;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(systemd.Receive(std::chrono::milliseconds(300)).find("READY=1"),
            std::string::npos);
  std::filesystem::copy_file(TCPSTATED_FIXTURES "/mixed-legacy.dump", dump,
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_NE(systemd.ReceiveUntil("READY=1", std::chrono::seconds(10)),
            std::string::npos);
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(5)), 0);
  std::filesystem::remove(dump);
}

}  // namespace
}  // namespace tcpstated::testing
