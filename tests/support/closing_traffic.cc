#include "closing_traffic.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace tcpstated::testing {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

UniqueFd LoopbackListener(std::uint16_t port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in a = Loopback(port);
  if (!fd || bind(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) ||
      listen(fd.get(), 4096)) {
    Fail("listen on port " + std::to_string(port));
  }
  return fd;
}

std::pair<UniqueFd, UniqueFd> ConnectPair(int listener, std::uint16_t port) {
  UniqueFd client(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in a = Loopback(port);
  if (!client ||
      connect(client.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a)) {
    Fail("connect to port " + std::to_string(port));
  }
  UniqueFd server(accept(listener, nullptr, nullptr));
  if (!server) Fail("accept");
  return {std::move(client), std::move(server)};
}

void ConnectRefused(std::uint16_t port) {
  UniqueFd client(socket(AF_INET, SOCK_STREAM, 0));
  const sockaddr_in a = Loopback(port);
  if (!client) Fail("socket");
  if (connect(client.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) ==
      0) {
    errno = EISCONN;
    Fail("connected to port " + std::to_string(port) +
         ", where nobody listens");
  }
  if (errno != ECONNREFUSED) Fail("connect to port " + std::to_string(port));
}

void CloseInOrder(UniqueFd first, UniqueFd second) {
  { const UniqueFd closing = std::move(first); }
  char byte;
  if (read(second.get(), &byte, 1) != 0) Fail("no end of stream");
}

void CloseConnections(int listener, std::uint16_t port, int server_first,
                      int client_first) {
  for (int i = 0; i < server_first; ++i) {
    auto [client, server] = ConnectPair(listener, port);
    CloseInOrder(std::move(server), std::move(client));
  }
  for (int i = 0; i < client_first; ++i) {
    auto [client, server] = ConnectPair(listener, port);
    CloseInOrder(std::move(client), std::move(server));
  }
}

void ResetByServer(UniqueFd client, UniqueFd server) {
  const linger abort{.l_onoff = 1, .l_linger = 0};
  setsockopt(server.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  { const UniqueFd closing = std::move(server); }  // RST, not FIN
  char byte;
  if (read(client.get(), &byte, 1) != -1 || errno != ECONNRESET) {
    Fail("no reset");
  }
}

}  // namespace tcpstated::testing
