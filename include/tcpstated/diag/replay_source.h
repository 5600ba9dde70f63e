#pragma once

#include <string>

#include "tcpstated/diag/dump_source.h"

namespace tcpstated {

// Replays a recorded dump (from `tcpstated report --record-dump` or
// `ss -t -a -D`). A file may hold several dumps back to back; all of them
// are delivered, and the file must end right after an NLMSG_DONE.
class ReplaySource final : public DumpSource {
 public:
  explicit ReplaySource(std::string path) : path_(std::move(path)) {}
  DumpStats Dump(RecordSink& sink) override;

 private:
  std::string path_;
};

}  // namespace tcpstated
