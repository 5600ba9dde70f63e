#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tcpstated/model/finding.h"
#include "tcpstated/model/snapshot.h"

namespace tcpstated {

// How findings read, the same in the report, the JSON and the daemon's log.

// "7100-7129, 8080": contiguous ports as ranges.
std::string DescribePorts(const std::vector<std::uint16_t>& ports);
// "port 8080" or "ports 7100-7129 (30 ports)".
std::string PortsPhrase(const std::vector<std::uint16_t>& ports);
// "10.77.0.1:6379" for a finding toward one destination; "" otherwise.
std::string DestinationText(const Finding& f);

// "accept queue full: inbound port 80", "ephemeral ports running out:
// outbound to 10.77.0.1:6379".
std::string Headline(const Finding& f);
// "9 waiting, limit 8 (net.core.somaxconn), 32 overflows/s".
std::string HowMuch(const Finding& f, const Snapshot& snapshot);
// "listening: nginx[12] (1, stopped), nginx[11] (1); unit nginx.service":
// processes by sockets held, largest first, in their role; "" when nobody
// is known.
std::string Who(const Finding& f);
// Why nobody is named, when tracing found no process: "" otherwise.
std::string NobodyFound(const Finding& f);

// "nginx.service (3000)": owners as one line.
std::string DescribeOwners(const std::vector<PortOwner>& owners);

// Findings of one kind and direction on several ports held by the same
// processes (the same pids, found by tracing) are one entry: one program
// leaking on 30 ports is one story. Unrelated programs that share a
// cgroup are never merged, nor are findings nobody was traced to.
// Keeps the order of the first of each group.
std::vector<Finding> GroupFindings(const std::vector<Finding>& findings);

}  // namespace tcpstated
