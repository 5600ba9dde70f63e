#include "connection_gate.h"

namespace tcpstated {

ConnectionGate::ConnectionGate(Limits limits, Evict evict)
    : limits_(limits), evict_(std::move(evict)) {}

void ConnectionGate::Release(Entry& entry) {
  if (entry.evicted) return;
  entry.evicted = true;
  --live_;
  if (--per_client_[entry.client] == 0) per_client_.erase(entry.client);
}

void ConnectionGate::Complete(const Entry& entry) {
  const auto it = incomplete_.find(entry.client);
  if (it == incomplete_.end()) return;
  it->second.erase(entry.order);
  if (it->second.empty()) incomplete_.erase(it);
}

bool ConnectionGate::EvictFromTheBiggestClient() {
  // At most max_total clients: a scan when the front is full is cheap.
  auto biggest = incomplete_.end();
  for (auto it = incomplete_.begin(); it != incomplete_.end(); ++it) {
    if (biggest == incomplete_.end() ||
        it->second.size() > biggest->second.size() ||
        (it->second.size() == biggest->second.size() &&
         it->second.begin()->first < biggest->second.begin()->first)) {
      biggest = it;
    }
  }
  if (biggest == incomplete_.end()) return false;
  const int fd = biggest->second.begin()->second;
  Entry& victim = entries_.at(fd);
  Complete(victim);
  Release(victim);
  ++evictions_;
  evict_(fd, victim.inode);
  return true;
}

ConnectionGate::Verdict ConnectionGate::Admit(int fd, ino_t inode,
                                              const std::string& client) {
  std::lock_guard lock(mutex_);
  // The number came back from accept(): whatever held it before is gone
  // (a connection the HTTP library dropped before it started).
  if (auto old = entries_.find(fd); old != entries_.end()) {
    Complete(old->second);
    Release(old->second);
    entries_.erase(old);
  }
  const auto counted = per_client_.find(client);
  if (counted != per_client_.end() &&
      counted->second >= limits_.max_per_client) {
    return Verdict::kClientFull;
  }
  if (live_ >= limits_.max_total && !EvictFromTheBiggestClient()) {
    return Verdict::kFull;
  }
  const std::uint64_t order = next_order_++;
  entries_[fd] = Entry{client, inode, order, false, false};
  incomplete_[client].emplace(order, fd);
  ++per_client_[client];
  ++live_;
  return Verdict::kAdmitted;
}

void ConnectionGate::RequestSeen(int fd) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(fd);
  if (it == entries_.end() || it->second.complete) return;
  it->second.complete = true;
  Complete(it->second);
}

void ConnectionGate::Closed(int fd) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(fd);
  if (it == entries_.end()) return;
  Complete(it->second);
  Release(it->second);
  entries_.erase(it);
}

std::size_t ConnectionGate::size() const {
  std::lock_guard lock(mutex_);
  return live_;
}

std::size_t ConnectionGate::evictions() const {
  std::lock_guard lock(mutex_);
  return evictions_;
}

}  // namespace tcpstated
