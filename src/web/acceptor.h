#pragma once

#include <sys/socket.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "connection_gate.h"
#include "tcpstated/io/unique_fd.h"
#include "tcpstated/model/log.h"

namespace tcpstated {

// Accepts the front's connections itself and hands each to the HTTP
// library, so that who gets in is decided before a byte is read: the
// allow list, then the ConnectionGate (which may evict an idle, half-open
// connection to make room). Nothing waits in the listen queue for a slot:
// a connection that gets none is closed at once. Out of file descriptors
// (EMFILE, ENFILE) or kernel memory, accepting pauses for 100 ms instead of
// spinning, with one warning per minute at most.
class Acceptor {
 public:
  // Whether a client address may connect at all (the allow list).
  using Allowed = std::function<bool(const sockaddr* address)>;
  // Gives an admitted connection to the HTTP library; false when it was
  // refused (the library has closed it).
  using Handoff =
      std::function<bool(int fd, const sockaddr* address, socklen_t length)>;

  // Starts accepting on `listeners` (not owned).
  Acceptor(std::vector<int> listeners, ConnectionGate& gate, Allowed allowed,
           Handoff handoff, LogFn log);
  ~Acceptor();  // stops accepting; joins its thread
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  std::uint64_t refused() const { return refused_; }

 private:
  void Run();
  // Accepts what `listener` has queued (a bounded batch); false when out
  // of descriptors or memory.
  bool AcceptFrom(int listener);
  void Take(UniqueFd fd, const sockaddr* address, socklen_t length);
  void WarnOutOfDescriptors(int error);

  const std::vector<int> listeners_;
  ConnectionGate& gate_;
  const Allowed allowed_;
  const Handoff handoff_;
  const LogFn log_;
  UniqueFd stop_;  // an eventfd
  std::atomic<std::uint64_t> refused_{0};
  std::int64_t last_warning_ = 0;  // steady clock, seconds
  std::thread thread_;
};

}  // namespace tcpstated
