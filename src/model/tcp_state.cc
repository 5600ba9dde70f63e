#include "tcpstated/model/tcp_state.h"

#include <numeric>

namespace tcpstated {
namespace {

struct StateNames {
  std::string_view label;
  std::string_view netstat;
};

constexpr std::array<StateNames, kTcpStateCount> kNames = {{
    {"established", "ESTABLISHED"},
    {"syn_sent", "SYN_SENT"},
    {"syn_recv", "SYN_RECV"},
    {"fin_wait1", "FIN_WAIT1"},
    {"fin_wait2", "FIN_WAIT2"},
    {"time_wait", "TIME_WAIT"},
    {"close", "CLOSE"},
    {"close_wait", "CLOSE_WAIT"},
    {"last_ack", "LAST_ACK"},
    {"listen", "LISTEN"},
    {"closing", "CLOSING"},
}};

}  // namespace

std::string_view StateName(TcpState state) {
  return kNames[Index(state)].label;
}

std::string_view StateNetstatName(TcpState state) {
  return kNames[Index(state)].netstat;
}

std::optional<TcpState> StateFromName(std::string_view name) {
  for (TcpState state : kAllTcpStates) {
    if (StateName(state) == name) return state;
  }
  return std::nullopt;
}

std::uint64_t Total(const StateCounts& counts) {
  return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
}

void AddTo(StateCounts& sum, const StateCounts& more) {
  for (std::size_t s = 0; s < sum.size(); ++s) sum[s] += more[s];
}

}  // namespace tcpstated
