// tcpstated: TCP connection states per port, for Prometheus and at the
// terminal. Dispatches to the three commands; each parses its own
// arguments (the daemon re-reads them on SIGHUP). `report` runs in this
// binary, which loads no HTTP, TLS, metrics or systemd library: it starts
// in about a millisecond, where they cost four (a report is timed against
// a bare kernel dump). `run` and `check-config` continue in
// tcpstated-daemon (daemon_main.cc).
#include <iostream>
#include <string>
#include <vector>

#include "daemon_exec.h"
#include "report_command.h"
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
  if (command == "report") return tcpstated::RunReportCommand(rest);
  if (command == "run" || command == "check-config") {
    return tcpstated::ExecDaemon(argv);
  }
  std::cerr << "tcpstated: unknown command \"" << command
            << "\" (run, report or check-config)\n";
  return 2;
}
