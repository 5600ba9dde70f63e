#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "tcpstated/model/tcp_state.h"

namespace tcpstated {

// Small helpers that fill prometheus-cpp's plain metric structs.
using Labels = std::vector<prometheus::ClientMetric::Label>;

prometheus::MetricFamily NewFamily(
    const char* name, const char* help,
    prometheus::MetricType type = prometheus::MetricType::Gauge);
void AddGauge(prometheus::MetricFamily& family, Labels labels, double value);
void AddCounter(prometheus::MetricFamily& family, Labels labels, double value);
// A family of one unlabelled sample.
void AddSingle(std::vector<prometheus::MetricFamily>& out, const char* name,
               const char* help, double value,
               prometheus::MetricType type = prometheus::MetricType::Gauge);
// One gauge per state, labelled `labels` and the state; states with no
// sockets only when `with_zeros`.
void AddStateGauges(prometheus::MetricFamily& family, const Labels& labels,
                    const StateCounts& states, bool with_zeros = false);

}  // namespace tcpstated
