#pragma once

#include <cstdint>
#include <utility>

#include "tcpstated/io/unique_fd.h"

namespace tcpstated::testing {

// Known connection endings on 127.0.0.1, made in the calling thread's
// network namespace, for the event source's tests. Each throws
// std::system_error when a socket call fails.

// A listener on 127.0.0.1:`port` with a deep backlog.
UniqueFd LoopbackListener(std::uint16_t port);

// A connected pair through `listener`: the client's end, the server's.
std::pair<UniqueFd, UniqueFd> ConnectPair(int listener, std::uint16_t port);

// A connect to 127.0.0.1:`port`, where nobody listens, refused by the
// kernel (ECONNREFUSED): a failed connect that leaves no socket behind.
// Throws std::system_error when it is not refused.
void ConnectRefused(std::uint16_t port);

// Closes `first`; waits until `second` reads the end of stream, so the FIN
// has arrived (no simultaneous close); closes `second`.
void CloseInOrder(UniqueFd first, UniqueFd second);

// `server_first` connections closed by the server first and `client_first`
// by the client, one after the other, through `listener`.
void CloseConnections(int listener, std::uint16_t port, int server_first,
                      int client_first);

// Aborts the server's end with a RST (SO_LINGER 0) and waits until the
// client has seen it.
void ResetByServer(UniqueFd client, UniqueFd server);

}  // namespace tcpstated::testing
