// What the series budget costs a render (docs/performance.md):
//   build/release/tests/bench_series_budget
// A render is the whole exposition of one store view, gzip included, as
// the daemon does once per collection. Hosts: one namespace of 30 busy
// ports (a typical server), and 500 namespaces of 50 ports (over 100,000
// series unbudgeted); each with no budget and with the default 10,000.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "tcpstated/collect/sweep.h"
#include "tcpstated/metrics/exposition.h"

namespace tcpstated {
namespace {

std::shared_ptr<Snapshot> Namespace(int index, int ports, bool labelled) {
  auto s = std::make_shared<Snapshot>();
  if (labelled) {
    s->netns = NetworkNamespace{4026531000u + static_cast<unsigned>(index),
                                "ns" + std::to_string(index),
                                "",
                                {}};
  }
  for (int p = 0; p < ports; ++p) {
    const auto port = static_cast<std::uint16_t>(2000 + p);
    PortRow in{Direction::kInbound, port, {}, {}};
    in.states[Index(TcpState::kListen)] = 1;
    in.states[Index(TcpState::kEstablished)] = 10u + static_cast<unsigned>(p);
    in.states[Index(TcpState::kTimeWait)] = 3;
    s->ports.push_back(in);
    s->listen_queues.push_back({port, 0, 128});
    AddTo(s->families[0], in.states);
  }
  return s;
}

void Render(benchmark::State& state, SnapshotStore& store) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string text = RenderMetrics(store);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}

void OneNamespace(benchmark::State& state) {
  SnapshotStore store;
  store.SetSeriesLimit(static_cast<std::size_t>(state.range(0)));
  store.Publish(Namespace(0, 30, false));
  Render(state, store);
}
BENCHMARK(OneNamespace)->Arg(0)->Arg(10'000)->Unit(benchmark::kMillisecond);

void FiveHundredNamespaces(benchmark::State& state) {
  SnapshotStore store;
  store.SetSeriesLimit(static_cast<std::size_t>(state.range(0)));
  Sweep sweep;
  for (int i = 0; i < 500; ++i) {
    auto s = Namespace(i, 50, true);
    sweep.results.push_back({*s->netns, std::move(s), std::nullopt, ""});
  }
  store.PublishSweep(sweep);
  Render(state, store);
}
BENCHMARK(FiveHundredNamespaces)
    ->Arg(0)
    ->Arg(10'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tcpstated

BENCHMARK_MAIN();
