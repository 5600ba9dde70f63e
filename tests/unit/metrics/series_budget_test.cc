// The series budget (collect.max-series): whatever the host holds, a
// scrape has at most the budget's series, and the totals per state stay
// exact; the quietest namespaces go first, then ports, then owners.
#include "tcpstated/metrics/series_budget.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "tcpstated/metrics/exposition.h"

namespace tcpstated {
namespace {

// A namespace (or, without a name, the one watched namespace) with
// `ports` inbound ports, each with a listener and sockets in three states,
// as many outbound ports, and `owners` owners; `churn`: with the event
// source's rows on the same ports.
std::shared_ptr<Snapshot> BusySnapshot(const std::string& name,
                                       std::uint64_t inode, int ports,
                                       int owners, std::uint64_t per_port,
                                       bool churn = false) {
  auto s = std::make_shared<Snapshot>();
  if (!name.empty()) s->netns = NetworkNamespace{inode, name, "", {}};
  for (Direction d : kAllDirections) {
    for (int i = 0; i < ports; ++i) {
      PortRow row{d, static_cast<std::uint16_t>(1000 + i), {}, {}};
      const TcpState states[] = {TcpState::kEstablished, TcpState::kTimeWait,
                                 TcpState::kCloseWait};
      for (TcpState state : states) {
        row.states[Index(state)] = per_port + static_cast<std::uint64_t>(i);
        s->families[0][Index(state)] += row.states[Index(state)];
      }
      row.stalls.Add(StallKind::kUnread, 1, 10);
      s->ports.push_back(row);
      if (churn) {  // the busiest five with lifetimes
        ChurnRow c{d, row.port, {}, i < 5};
        c.counts.opens = per_port + static_cast<std::uint64_t>(i);
        c.counts.closes = {c.counts.opens, 1, 0};
        c.counts.lifetimes[2] = c.counts.opens + 1;
        s->churn.push_back(c);
        s->churn_enabled = true;
      }
      if (d == Direction::kInbound) {
        s->listen_queues.push_back({row.port.value(), 1, 128});
        s->close_wait_ages.push_back({d, row.port.value(), 3, 60, 1});
        s->owners.listeners.push_back(
            {{d, row.port.value()}, "svc" + std::to_string(i % owners), 1});
      }
    }
  }
  for (int i = 0; i < owners; ++i) {
    OwnerSockets o{"svc" + std::to_string(i), {}, {}};
    o.states[Index(TcpState::kEstablished)] = 5;
    o.container.runtime = "docker";
    o.container.id = std::to_string(i);
    s->owners.owners.push_back(o);
  }
  return s;
}

struct Exposed {
  std::size_t series = 0;
  std::map<std::string, double> sockets_by_state;  // tcpstate_sockets summed
  std::map<std::string, double> ports_by_state;    // tcpstate_port_sockets
  std::map<std::string, double> closes_by_closer;  // tcpstate_port_closes
  std::set<std::string> netns;
  double folded = -1;
  bool unique = true;
};

std::string LabelValue(const std::string& line, const std::string& name) {
  const auto at = line.find(name + "=\"");
  if (at == std::string::npos) return "";
  const auto start = at + name.size() + 2;
  return line.substr(start, line.find('"', start) - start);
}

Exposed Parse(const std::string& text) {
  Exposed e;
  std::set<std::string> seen;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    ++e.series;
    const auto space = line.rfind(' ');
    const std::string key = line.substr(0, space);
    const double value = std::stod(line.substr(space + 1));
    e.unique = e.unique && seen.insert(key).second;
    if (key.starts_with("tcpstate_sockets{")) {
      e.sockets_by_state[LabelValue(key, "state")] += value;
    } else if (key.starts_with("tcpstate_port_sockets{")) {
      e.ports_by_state[LabelValue(key, "state")] += value;
    } else if (key.starts_with("tcpstate_port_closes_total{")) {
      e.closes_by_closer[LabelValue(key, "closer")] += value;
    } else if (key.starts_with("tcpstate_netns_info{")) {
      e.netns.insert(LabelValue(key, "netns"));
    } else if (key == "tcpstate_series_folded") {
      e.folded = value;
    }
  }
  return e;
}

Sweep ManyNamespaces(int count, int ports, bool churn = false) {
  Sweep sweep;
  for (int i = 0; i < count; ++i) {
    auto s = BusySnapshot("ns" + std::to_string(i), 4026530000u + i, ports, 3,
                          static_cast<std::uint64_t>(i) + 1, churn);
    sweep.results.push_back({*s->netns, std::move(s), std::nullopt, ""});
  }
  return sweep;
}

TEST(SeriesBudgetTest, FiveHundredNamespacesOfFiftyPortsStayWithinTheBudget) {
  SnapshotStore store;
  store.PublishSweep(ManyNamespaces(500, 50));
  const Exposed all = Parse(RenderMetrics(store));
  ASSERT_GT(all.series, 100'000u);
  EXPECT_EQ(all.folded, 0);

  store.SetSeriesLimit(10'000);
  const Exposed fitted = Parse(RenderMetrics(store));
  EXPECT_LE(fitted.series, 10'000u);
  EXPECT_GT(fitted.series, 9'000u) << "the budget is used, not wasted";
  EXPECT_TRUE(fitted.unique);
  EXPECT_EQ(fitted.sockets_by_state, all.sockets_by_state);
  EXPECT_EQ(fitted.folded, static_cast<double>(all.series - fitted.series));
  // The busiest namespaces are kept, the quietest summed as "other".
  EXPECT_TRUE(fitted.netns.contains("ns499"));
  EXPECT_TRUE(fitted.netns.contains("other"));
  EXPECT_FALSE(fitted.netns.contains("ns0"));
}

TEST(SeriesBudgetTest, ANamespaceWithAFindingIsKeptHoweverQuiet) {
  Sweep sweep = ManyNamespaces(200, 50);
  auto quiet = BusySnapshot("leaky", 4026539999u, 1, 1, 1);
  quiet->findings.push_back(Finding{});
  quiet->findings.back().ports = {1000};
  sweep.results.push_back({*quiet->netns, quiet, std::nullopt, ""});
  SnapshotStore store;
  store.SetSeriesLimit(5'000);
  store.PublishSweep(sweep);
  const std::string text = RenderMetrics(store);
  EXPECT_TRUE(Parse(text).netns.contains("leaky"));
  EXPECT_NE(text.find("tcpstate_finding{netns=\"leaky\""), std::string::npos);
}

TEST(SeriesBudgetTest, OneNamespaceFoldsPortsThenOwnersAndStaysExact) {
  SnapshotStore store;
  store.Publish(BusySnapshot("", 0, 200, 300, 7, /*churn=*/true));
  const Exposed all = Parse(RenderMetrics(store));
  ASSERT_GT(all.series, 3'000u);
  store.SetSeriesLimit(1'000);
  const std::string text = RenderMetrics(store);
  const Exposed fitted = Parse(text);
  EXPECT_LE(fitted.series, 1'000u);
  EXPECT_TRUE(fitted.unique);
  EXPECT_EQ(fitted.sockets_by_state, all.sockets_by_state);
  EXPECT_EQ(fitted.ports_by_state, all.ports_by_state);
  EXPECT_EQ(fitted.closes_by_closer, all.closes_by_closer);
  EXPECT_EQ(all.closes_by_closer.at("there"), 400);
  EXPECT_NE(text.find("port=\"other\""), std::string::npos);
  EXPECT_NE(text.find("unit=\"other\""), std::string::npos);
  EXPECT_EQ(fitted.folded, static_cast<double>(all.series - fitted.series));
}

// Random hosts against random budgets from the smallest accepted: never
// over, never a duplicate series, totals exact.
TEST(SeriesBudgetTest, NoHostExceedsAnyAcceptedBudget) {
  std::mt19937 random(20261205);
  for (int round = 0; round < 40; ++round) {
    const bool all = round % 2 == 0;
    const int namespaces = all ? 1 + static_cast<int>(random() % 400) : 1;
    const int ports = static_cast<int>(random() % (all ? 40 : 201));
    const int owners = 1 + static_cast<int>(random() % 60);
    const std::size_t budget = 1000 + random() % 20000;
    SnapshotStore store;
    store.SetSeriesLimit(budget);
    if (all) {
      Sweep sweep = ManyNamespaces(namespaces, ports, round % 4 == 0);
      for (auto& r : sweep.results) {
        auto s = std::make_shared<Snapshot>(*r.snapshot);
        for (int f = 0; f < 30; ++f) {
          s->findings.push_back(Finding{});
          s->findings.back().ports = {static_cast<std::uint16_t>(f)};
        }
        r.snapshot = s;
      }
      store.PublishSweep(sweep);
    } else {
      store.Publish(BusySnapshot("", 0, ports, owners, 3, round % 4 == 1));
    }
    const Exposed fitted = Parse(RenderMetrics(store));
    EXPECT_LE(fitted.series, budget) << "round " << round;
    EXPECT_TRUE(fitted.unique) << "round " << round;
  }
}

}  // namespace
}  // namespace tcpstated
