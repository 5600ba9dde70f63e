#include "ss_counts.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace tcpstated::testing {
namespace {

const std::map<std::string, TcpState>& SsStateNames() {
  static const std::map<std::string, TcpState> names = {
      {"ESTAB", TcpState::kEstablished},   {"SYN-SENT", TcpState::kSynSent},
      {"SYN-RECV", TcpState::kSynRecv},    {"FIN-WAIT-1", TcpState::kFinWait1},
      {"FIN-WAIT-2", TcpState::kFinWait2}, {"TIME-WAIT", TcpState::kTimeWait},
      {"UNCONN", TcpState::kClose},        {"CLOSE-WAIT", TcpState::kCloseWait},
      {"LAST-ACK", TcpState::kLastAck},    {"LISTEN", TcpState::kListen},
      {"CLOSING", TcpState::kClosing},
  };
  return names;
}

StateCounts CountFamily(const char* family_flag, const std::string& filter) {
  const CommandResult result =
      RunCommand(std::string("ss -tanH ") + family_flag +
                 (filter.empty() ? "" : " '" + filter + "'"));
  if (result.exit_code != 0)
    throw std::runtime_error("ss failed: " + result.err);
  StateCounts counts{};
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string state;
    fields >> state;
    const auto it = SsStateNames().find(state);
    if (it == SsStateNames().end()) {
      throw std::runtime_error("unknown ss state in: " + line);
    }
    ++counts[Index(it->second)];
  }
  return counts;
}

}  // namespace

std::array<StateCounts, kFamilyCount> CountWithSs(const std::string& filter) {
  return {CountFamily("-4", filter), CountFamily("-6", filter)};
}

CommandResult RunCommand(const std::string& command) {
  char err_path[] = "/tmp/tcpstated-it-stderr-XXXXXX";
  const int err_fd = mkstemp(err_path);
  if (err_fd < 0) throw std::runtime_error("mkstemp failed");
  close(err_fd);
  FILE* pipe = popen((command + " 2>" + err_path).c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  CommandResult result;
  char buffer[4096];
  std::size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    result.out.append(buffer, got);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  std::ifstream err_file(err_path);
  std::stringstream err;
  err << err_file.rdbuf();
  result.err = err.str();
  std::remove(err_path);
  return result;
}

}  // namespace tcpstated::testing
