// tcpstated: TCP connection states per port, for Prometheus and at the
// terminal. Dispatches to the three commands; each parses its own
// arguments (the daemon re-reads them on SIGHUP).
#include <iostream>
#include <string>
#include <vector>

#include "report_command.h"
#include "run_command.h"
#include "tcpstated/version.h"

namespace {

constexpr const char* kUsage =
    "tcpstated: TCP connection states per port, for Prometheus\n"
    "Usage: tcpstated COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  run           Run the daemon: collect periodically and serve "
    "Prometheus metrics\n"
    "  report        Print the findings, then TCP sockets per state, port "
    "and queue, once\n"
    "  check-config  Validate a configuration file: exit 0 if valid, 2 if "
    "not\n"
    "\n"
    "`tcpstated COMMAND --help` lists a command's options; tcpstated(8) and\n"
    "/usr/share/doc/tcpstated/ say the rest.\n";

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage << "tcpstated: a command is required\n";
    return 2;
  }
  const std::string& command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "tcpstated " << tcpstated::kVersion << " ("
              << tcpstated::kRevision << ")\n";
    return 0;
  }
  if (command == "run") return tcpstated::RunDaemonCommand(rest);
  if (command == "report") return tcpstated::RunReportCommand(rest);
  if (command == "check-config") {
    if (rest.size() == 1 && rest[0] != "--help" && rest[0] != "-h") {
      return tcpstated::CheckConfigCommand(rest[0]);
    }
    if (rest.size() == 1) {
      std::cout << "Usage: tcpstated check-config FILE\n";
      return 0;
    }
    std::cerr << "tcpstated: check-config takes one argument, the file\n";
    return 2;
  }
  std::cerr << "tcpstated: unknown command \"" << command
            << "\" (run, report or check-config)\n";
  return 2;
}
