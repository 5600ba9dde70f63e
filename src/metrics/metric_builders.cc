#include "metric_builders.h"

#include <string>

namespace tcpstated {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily NewFamily(const char* name, const char* help, MetricType type) {
  MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  return family;
}

void AddGauge(MetricFamily& family, Labels labels, double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
}

void AddCounter(MetricFamily& family, Labels labels, double value) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.counter.value = value;
  family.metric.push_back(std::move(metric));
}

// A family of one unlabelled sample.
void AddSingle(std::vector<MetricFamily>& out, const char* name,
               const char* help, double value, MetricType type) {
  auto family = NewFamily(name, help, type);
  if (type == MetricType::Counter) {
    AddCounter(family, {}, value);
  } else {
    AddGauge(family, {}, value);
  }
  out.push_back(std::move(family));
}

// One gauge per state, labelled `labels` and the state; states with no
// sockets only when `with_zeros`.
void AddStateGauges(MetricFamily& family, const Labels& labels,
                    const StateCounts& states, bool with_zeros) {
  for (TcpState state : kAllTcpStates) {
    const std::uint64_t n = states[Index(state)];
    if (n == 0 && !with_zeros) continue;
    auto with_state = labels;
    with_state.push_back({"state", std::string(StateName(state))});
    AddGauge(family, std::move(with_state), static_cast<double>(n));
  }
}

}  // namespace tcpstated
