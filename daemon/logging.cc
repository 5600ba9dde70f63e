#include "logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tcpstated {
namespace {

constexpr const char* kJournalSocket = "/run/systemd/journal/socket";

// journald listens on a datagram socket; connecting tells whether anyone
// does (sd_journal_send would fail on every line otherwise, and those lines
// would be lost).
bool JournalReachable() {
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, kJournalSocket, sizeof address.sun_path - 1);
  const bool connected =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                sizeof address) == 0;
  ::close(fd);
  return connected;
}

}  // namespace

bool StderrIsJournal(const char* journal_stream, int stderr_fd) {
  if (journal_stream == nullptr) return false;
  unsigned long long device = 0, inode = 0;
  char tail = 0;
  if (std::sscanf(journal_stream, "%llu:%llu%c", &device, &inode, &tail) != 2) {
    return false;
  }
  struct stat st {};
  return ::fstat(stderr_fd, &st) == 0 && st.st_dev == device &&
         st.st_ino == inode;
}

void SetUpLogging(const std::string& level, const std::string& target) {
  const bool wanted =
      target == "journal" ||
      (target == "auto" &&
       StderrIsJournal(std::getenv("JOURNAL_STREAM"), STDERR_FILENO));
  const bool journal = wanted && JournalReachable();
  std::shared_ptr<spdlog::logger> logger;
  if (journal) {
    logger = std::make_shared<spdlog::logger>(
        "tcpstated", std::make_shared<spdlog::sinks::systemd_sink_mt>());
    logger->set_pattern("%v");  // journald adds time, unit and priority
  } else {
    logger = std::make_shared<spdlog::logger>(
        "tcpstated", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  }
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
  if (wanted && !journal) {
    spdlog::warn("journald is not reachable at {}: logging to stderr",
                 kJournalSocket);
  }
}

void WriteLog(LogLevel level, const std::string& line) {
  static constexpr spdlog::level::level_enum kLevels[] = {
      spdlog::level::debug, spdlog::level::info, spdlog::level::warn,
      spdlog::level::err};
  spdlog::log(kLevels[static_cast<int>(level)], "{}", line);
}

void StopLogging() { spdlog::shutdown(); }

std::string CurrentLogLevel() {
  const auto name =
      spdlog::level::to_string_view(spdlog::default_logger_raw()->level());
  return std::string(name.data(), name.size());
}

bool LoggingToStderr() {
  const auto& sinks = spdlog::default_logger_raw()->sinks();
  return sinks.size() == 1 && dynamic_cast<spdlog::sinks::stderr_sink_mt*>(
                                  sinks[0].get()) != nullptr;
}

const void* CurrentLogger() { return spdlog::default_logger_raw(); }

void SetLogLevel(const std::string& level) {
  spdlog::default_logger_raw()->set_level(spdlog::level::from_str(level));
}

}  // namespace tcpstated
