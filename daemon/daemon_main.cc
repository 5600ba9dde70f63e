// tcpstated-daemon: `tcpstated run` and `tcpstated check-config`, which
// tcpstated hands over to this binary (exec, same process): it has the
// HTTP front, TLS, the metrics and systemd. Not meant to be run by hand,
// but it takes the same arguments.
#include <sys/prctl.h>

#include <iostream>
#include <string>
#include <vector>

#include "run_command.h"

int main(int argc, char** argv) {
  // What ps, top and the journal show: the command the operator ran.
  prctl(PR_SET_NAME, "tcpstated");
  const std::vector<std::string> args(argv + 1, argv + argc);
  const std::string command = args.empty() ? "" : args.front();
  const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1),
                                      args.end());
  if (command == "run") return tcpstated::RunDaemonCommand(rest);
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
  std::cerr << "tcpstated-daemon: run or check-config (use tcpstated)\n";
  return 2;
}
