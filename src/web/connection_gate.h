#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tcpstated {

// Which client connections the front takes: at most `max_total`, at most
// `max_per_client` per client (ClientKey). When every slot is taken, a new
// connection takes the slot of a connection that has not yet completed a
// request (no whole header, or no finished TLS handshake): the oldest one
// of the client that holds the most such connections. So idle and
// half-open connections cannot keep a scrape out, and a flood that
// reconnects whatever is closed evicts itself, never a scraper's single
// connection in its handshake. Connections that completed a request (a
// scraper's keep-alive) are never evicted; when all are such, the new one
// is refused. Thread-safe: the acceptor admits, the HTTP threads report.
class ConnectionGate {
 public:
  struct Limits {
    std::size_t max_total = 256;
    std::size_t max_per_client = 16;
  };
  // Closes an evicted connection's socket for reading and writing (the
  // HTTP thread that owns it then sees it end and cleans up). Called with
  // the gate's lock held, which Closed() also takes: an entry cannot be
  // closed by its owner, and its number reused, while it is being evicted.
  using Evict = std::function<void(int fd, ino_t inode)>;

  ConnectionGate(Limits limits, Evict evict);

  enum class Verdict { kAdmitted, kClientFull, kFull };
  // A new connection on `fd` (the socket's inode tells a reused number
  // apart) from `client`. kAdmitted: it counts from now on, and may have
  // evicted another. Otherwise the caller closes it.
  Verdict Admit(int fd, ino_t inode, const std::string& client);
  // The connection on `fd` completed a request: it stays.
  void RequestSeen(int fd);
  // The connection on `fd` is closed (or was never handed over).
  void Closed(int fd);

  std::size_t size() const;
  std::size_t evictions() const;
  const Limits& limits() const { return limits_; }

 private:
  struct Entry {
    std::string client;
    ino_t inode = 0;
    std::uint64_t order = 0;  // admission order
    bool complete = false;
    bool evicted = false;  // its slot is free; its socket not yet closed
  };
  void Release(Entry& entry);         // frees the slot (lock held)
  void Complete(const Entry& entry);  // no longer evictable (lock held)
  bool EvictFromTheBiggestClient();

  const Limits limits_;
  const Evict evict_;
  mutable std::mutex mutex_;
  std::unordered_map<int, Entry> entries_;
  std::unordered_map<std::string, std::size_t> per_client_;
  // Per client, its connections without a request, by admission order.
  std::unordered_map<std::string, std::map<std::uint64_t, int>> incomplete_;
  std::uint64_t next_order_ = 0;
  std::size_t live_ = 0;  // admitted, not evicted, not closed
  std::size_t evictions_ = 0;
};

}  // namespace tcpstated
