#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tcpstated/diag/socket_record.h"
#include "tcpstated/model/dump_stats.h"

namespace tcpstated {

// Turns the byte stream of an inet_diag dump (what the kernel sends, and
// what `ss -D FILE` records) into SocketRecords. Pure: no I/O, no
// allocation. Every length is checked before a struct is read, in 64-bit
// arithmetic, so a hostile length can neither wrap nor read past the input.
//
// Input may hold several dumps back to back (`ss` records one per address
// family); each ends with NLMSG_DONE.
class DumpParser {
 public:
  explicit DumpParser(RecordSink& sink) : sink_(sink) {}

  // Parses the complete messages at the front of `bytes` and returns how
  // many bytes they took. A trailing incomplete message is left unconsumed
  // (a stream reader feeds it again with more bytes). Throws CollectError
  // on NLMSG_ERROR, an error in NLMSG_DONE, or a malformed message.
  std::size_t Parse(std::span<const std::byte> bytes);

  // NLMSG_DONE messages seen so far: one per completed dump.
  std::uint64_t dumps_done() const { return dumps_done_; }
  std::uint64_t messages() const { return messages_; }
  std::uint64_t records() const { return records_; }
  // Records whose state is not a TCP connection state; not counted.
  std::uint64_t records_ignored() const { return records_ignored_; }
  // The kernel set NLM_F_DUMP_INTR: the walk was disturbed and may have
  // missed or repeated sockets.
  bool interrupted() const { return interrupted_; }
  // Everything counted so far, with `bytes` as the reader counted them.
  DumpStats Stats(std::uint64_t bytes) const {
    return {messages_, records_, records_ignored_, bytes, interrupted_};
  }
  // True when the last message parsed was NLMSG_DONE: a stream that stops
  // here is complete.
  bool at_dump_boundary() const { return at_boundary_; }

 private:
  void ParseDiagMessage(std::span<const std::byte> message);
  void ParseAttributes(std::span<const std::byte> attributes, SocketRecord& r);
  void ParseTcpInfo(std::span<const std::byte> payload, SocketRecord& r);
  void ParseDone(std::span<const std::byte> message);
  void ParseError(std::span<const std::byte> message);

  RecordSink& sink_;
  SocketRecord record_;
  std::uint64_t dumps_done_ = 0;
  std::uint64_t messages_ = 0;
  std::uint64_t records_ = 0;
  std::uint64_t records_ignored_ = 0;
  bool interrupted_ = false;
  bool at_boundary_ = false;
};

}  // namespace tcpstated
