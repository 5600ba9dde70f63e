#pragma once

#include <utility>
#include <vector>

#include "tcpstated/diag/dump_source.h"
#include "tcpstated/diag/socket_record.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/model/finding.h"

namespace tcpstated::testing {

inline SocketRecord Record(TcpState state, std::uint16_t local_port,
                           std::uint16_t remote_port,
                           Family family = Family::kIpv4) {
  SocketRecord r;
  r.family = family;
  r.state = state;
  r.local_port = local_port;
  r.remote_port = remote_port;
  return r;
}

inline SocketRecord Listener(std::uint16_t port, std::uint32_t queued,
                             std::uint32_t backlog,
                             Family family = Family::kIpv4) {
  SocketRecord r = Record(TcpState::kListen, port, 0, family);
  r.rqueue = queued;
  r.wqueue = backlog;
  return r;
}

// A full socket of cgroup `cgroup` on local port `port`.
inline SocketRecord OwnedRecord(TcpState state, std::uint64_t cgroup,
                                std::uint16_t port) {
  SocketRecord r = Record(state, port, 0);
  r.cgroup_id = cgroup;
  return r;
}

// A finding of `kind` on `port`, not traced nor explained.
inline Finding MakeFinding(FindingKind kind, Direction direction,
                           std::uint16_t port, std::uint64_t sockets,
                           double share = 0.5) {
  Finding f;
  f.kind = kind;
  f.direction = direction;
  f.ports = {port};
  f.sockets = sockets;
  f.share = share;
  return f;
}

// A socket with the inode of its file (0: orphaned, or TIME_WAIT).
inline SocketRecord WithInode(SocketRecord r, std::uint32_t inode) {
  r.inode = inode;
  return r;
}

// Delivers a scripted list of records on every dump.
class ScriptedSource : public DumpSource {
 public:
  explicit ScriptedSource(std::vector<SocketRecord> records)
      : records_(std::move(records)) {}
  DumpStats Dump(RecordSink& sink) override {
    ++dumps;
    if (fail) throw CollectError(CollectErrorReason::kNoBuffers, "ENOBUFS");
    for (const auto& r : records_) sink.OnRecord(r);
    return {records_.size() + 1, records_.size(), 0, 1234, false};
  }
  int dumps = 0;
  bool fail = false;

 private:
  std::vector<SocketRecord> records_;
};

}  // namespace tcpstated::testing
