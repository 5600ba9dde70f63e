#pragma once

#include "tcpstated/diag/socket_record.h"
#include "tcpstated/model/dump_stats.h"

namespace tcpstated {

// Somewhere a complete dump of every TCP socket comes from: the kernel, or
// a recording of it.
class DumpSource {
 public:
  virtual ~DumpSource() = default;
  // Streams one complete dump into `sink`, one record at a time. Each call
  // starts over (a fresh netlink socket, or the file from its start).
  // Throws CollectError; records already delivered must then be discarded.
  virtual DumpStats Dump(RecordSink& sink) = 0;
};

}  // namespace tcpstated
