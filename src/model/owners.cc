#include "tcpstated/model/owners.h"

namespace tcpstated {

std::vector<PortOwner> Attribution::OwnersOf(PortClass port,
                                             TcpState state) const {
  std::vector<PortOwner> out;
  const auto& rows = state == TcpState::kCloseWait ? close_waits : listeners;
  for (const auto& row : rows) {
    if (row.port == port) out.push_back(row);
  }
  return out;
}

std::string Attribution::DescribeOwnersOf(PortClass port,
                                          TcpState state) const {
  std::string text;
  for (const PortOwner& row : OwnersOf(port, state)) {
    if (!text.empty()) text += ", ";
    text += row.owner + " (" + std::to_string(row.sockets) + ")";
  }
  return text;
}

}  // namespace tcpstated
