#include "tcpstated/detect/diagnosis.h"

namespace tcpstated {

std::string Diagnose(const Pileup& p) {
  const std::string port = PortLabel(p.port);
  const bool inbound = p.direction == Direction::kInbound;
  switch (p.state) {
    case TcpState::kCloseWait:
      return "the program owning these connections (" +
             std::string(inbound ? "serving port " : "connecting to port ") +
             port +
             ") never calls close() on connections its peers have closed. "
             "Check: which process holds them (ss -tnp state close-wait), "
             "and the paths in its code that drop a connection without "
             "closing it or returning it to its pool";
    case TcpState::kTimeWait:
      if (inbound) {
        return "this server closes connections on port " + port +
               " before its clients do. Check: HTTP keep-alive disabled, a "
               "short idle timeout, or a per-connection request limit";
      }
      return "a connection to port " + port +
             " is opened and closed for each request: no connection "
             "pooling. Check: keep-alive and pooling in the client, and "
             "ephemeral port pressure toward that upstream "
             "(EADDRNOTAVAIL on connect)";
    case TcpState::kSynRecv:
      return "handshakes on port " + port +
             " are not completing: a SYN flood, or a server too slow to "
             "accept. Check: the accept queue of the port, "
             "net.ipv4.tcp_syncookies, and the source addresses";
    case TcpState::kFinWait1:
      return "our FINs on port " + port +
             " are not acknowledged: peers gone or packets lost. Check: "
             "reachability of the peers, net.ipv4.tcp_orphan_retries";
    case TcpState::kLastAck:
      return "we closed after the peer on port " + port +
             " did and our FIN is not acknowledged: peers vanished. Check: "
             "the network path, net.ipv4.tcp_orphan_retries";
    case TcpState::kClosing:
      return "simultaneous closes on port " + port +
             " with lost acknowledgements. Check: packet loss on the path";
    default:
      return "sockets of this state pile up on port " + port;
  }
}

}  // namespace tcpstated
