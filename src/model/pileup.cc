#include "tcpstated/model/pileup.h"

namespace tcpstated {

std::string DescribeProcesses(const std::vector<ProcessSockets>& processes,
                              std::size_t max) {
  std::string text;
  for (std::size_t i = 0; i < processes.size() && i < max; ++i) {
    const ProcessSockets& p = processes[i];
    if (!text.empty()) text += ", ";
    text += p.command + "[" + std::to_string(p.pid) + "] (" +
            std::to_string(p.sockets) + ")";
  }
  if (processes.size() > max) {
    text += " and " + std::to_string(processes.size() - max) + " more";
  }
  return text;
}

}  // namespace tcpstated
