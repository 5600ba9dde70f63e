// Fuzzes a whole dump stream: parser -> aggregator -> snapshot -> reports.
// Anything may be thrown as CollectError; nothing may crash, hang, leak or
// read out of bounds.
#include <cstddef>
#include <cstdint>
#include <span>

#include "count/aggregator.h"
#include "diag/dump_parser.h"
#include "tcpstated/model/collect_error.h"
#include "tcpstated/report/report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using namespace tcpstated;
  CountSettings options;
  options.max_ports = 3;  // exercise folding
  Aggregator aggregator(options);
  DumpParser parser(aggregator);
  const std::span<const std::byte> bytes(
      reinterpret_cast<const std::byte*>(data), size);
  try {
    // Two feeds, split where the first byte says: the stream reader path.
    const std::size_t split = size == 0 ? 0 : data[0] % (size + 1);
    const std::size_t used = parser.Parse(bytes.first(split));
    parser.Parse(bytes.subspan(used));
  } catch (const CollectError&) {
    return 0;
  }
  Snapshot snapshot;
  aggregator.Fill(snapshot);
  FormatJsonReport(snapshot);
  FormatTextReport(snapshot);
  return 0;
}
