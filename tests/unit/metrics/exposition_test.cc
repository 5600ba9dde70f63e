#include "tcpstated/metrics/exposition.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <thread>
#include <vector>

namespace tcpstated {
namespace {

TEST(RenderMetricsTest, BeforeTheFirstSnapshotOnlyHealthIsExported) {
  SnapshotStore store;
  const std::string text = RenderMetrics(store);
  EXPECT_EQ(text.find("tcpstate_sockets"), std::string::npos);
  EXPECT_NE(text.find("tcpstate_collect_success 0\n"), std::string::npos);
  EXPECT_NE(
      text.find("tcpstate_collect_errors_total{reason=\"no_buffers\"} 0\n"),
      std::string::npos);
}

TEST(RenderMetricsTest, FailureKeepsTheLastSnapshotAndCountsTheReason) {
  SnapshotStore store;
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->families[0][Index(TcpState::kCloseWait)] = 9;
  snapshot->ports.push_back({Direction::kInbound, std::nullopt, {}, {}});
  snapshot->ports.back().states[Index(TcpState::kCloseWait)] = 9;
  store.Publish(snapshot);
  store.RecordFailure(CollectErrorReason::kTruncated, std::chrono::seconds(1));
  const std::string text = RenderMetrics(store);
  EXPECT_NE(
      text.find("tcpstate_sockets{family=\"ipv4\",state=\"close_wait\"} 9\n"),
      std::string::npos);
  EXPECT_NE(
      text.find("tcpstate_port_sockets{direction=\"inbound\",port=\"other\","
                "state=\"close_wait\"} 9\n"),
      std::string::npos);
  EXPECT_NE(text.find("tcpstate_collect_success 0\n"), std::string::npos);
  EXPECT_NE(
      text.find("tcpstate_collect_errors_total{reason=\"truncated\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("tcpstate_collections_total 2\n"), std::string::npos);
}

std::shared_ptr<Snapshot> SnapshotOfNamespace(const std::string& name,
                                              std::uint64_t inode,
                                              std::uint64_t listeners) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->netns = NetworkNamespace{inode, name, "/run/netns/" + name, {}};
  if (name.empty()) {
    snapshot->netns->owner.display = "docker:web";
    snapshot->netns->owner.container.runtime = "docker";
    snapshot->netns->owner.container.id = std::string(64, 'a');
    snapshot->netns->owner.container.container = "web";
  }
  snapshot->families[0][Index(TcpState::kListen)] = listeners;
  return snapshot;
}

NamespaceResult Succeeded(std::shared_ptr<const Snapshot> snapshot) {
  return {*snapshot->netns, std::move(snapshot), std::nullopt, ""};
}

int Occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// Churn families exist only for namespaces with churn; merged by position
// with those of namespaces without, whichever comes first.
TEST(RenderMetricsTest, ChurnFamiliesMergeWhateverTheNamespaceOrder) {
  auto quiet = SnapshotOfNamespace("quiet", 1, 2);
  auto busy = SnapshotOfNamespace("busy", 2, 3);
  busy->churn_enabled = true;
  ChurnRow row{Direction::kInbound, 8080, {}, /*with_lifetimes=*/true};
  row.counts.opens = 7;
  row.counts.closes = {6, 1, 0};
  row.counts.lifetimes = {0, 5, 2};
  row.counts.lifetime_seconds = 0.25;
  busy->churn.push_back(row);
  for (bool busy_first : {false, true}) {
    SnapshotStore store;
    store.RecordEvents({.enabled = true, .reason = ""}, {.map_full = 4});
    store.PublishSweep({.results = {Succeeded(busy_first ? busy : quiet),
                                    Succeeded(busy_first ? quiet : busy)}});
    const std::string text = RenderMetrics(store);
    EXPECT_EQ(Occurrences(text, "# TYPE tcpstate_port_opens_total counter"), 1);
    EXPECT_NE(text.find("tcpstate_port_opens_total{netns=\"busy\","
                        "direction=\"inbound\",port=\"8080\"} 7\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("tcpstate_port_closes_total{netns=\"busy\","
                        "direction=\"inbound\",port=\"8080\",closer="
                        "\"there\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("tcpstate_port_connection_duration_seconds_bucket{"
                        "netns=\"busy\",direction=\"inbound\",port=\"8080\","
                        "le=\"0.01\"} 5\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("tcpstate_port_connection_duration_seconds_bucket{"
                        "netns=\"busy\",direction=\"inbound\",port=\"8080\","
                        "le=\"+Inf\"} 7\n"),
              std::string::npos);
    EXPECT_NE(text.find("tcpstate_port_connection_duration_seconds_sum{"
                        "netns=\"busy\",direction=\"inbound\",port=\"8080\"}"
                        " 0.25\n"),
              std::string::npos);
    // Inbound rows have no failed connects: only clients fail to connect.
    EXPECT_EQ(text.find("tcpstate_port_failed_connects_total{netns"),
              std::string::npos);
    EXPECT_EQ(text.find("tcpstate_port_opens_total{netns=\"quiet\""),
              std::string::npos);
    EXPECT_NE(text.find("tcpstate_events_enabled{reason=\"\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("tcpstate_events_lost_total{reason=\"map_full\"} 4\n"),
              std::string::npos);
  }
}

TEST(RenderMetricsTest, WithoutTheEventSourceOneSeriesSaysSo) {
  SnapshotStore store;
  store.Publish(std::make_shared<Snapshot>());
  const std::string text = RenderMetrics(store);
  EXPECT_NE(text.find("tcpstate_events_enabled{reason=\"off\"} 0\n"),
            std::string::npos);
  EXPECT_EQ(text.find("tcpstate_port_opens_total"), std::string::npos);
  EXPECT_EQ(text.find("tcpstate_events_lost_total"), std::string::npos);
}

TEST(RenderMetricsTest, EveryNamespaceSharesOneFamilyWithItsOwnLabel) {
  SnapshotStore store;
  store.PublishSweep(
      {.results = {Succeeded(SnapshotOfNamespace("blue", 4026532177, 2)),
                   Succeeded(SnapshotOfNamespace("", 4026532246, 5))},
       .vanished = 1,
       .denied = 3});
  const std::string text = RenderMetrics(store);
  EXPECT_NE(text.find("tcpstate_sockets{netns=\"blue\",family=\"ipv4\","
                      "state=\"listen\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tcpstate_sockets{netns=\"4026532246\",family=\"ipv4\","
                      "state=\"listen\"} 5\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(Occurrences(text, "# TYPE tcpstate_sockets gauge"), 1);
  EXPECT_EQ(Occurrences(text, "# TYPE tcpstate_snapshot_age_seconds gauge"), 1);
  EXPECT_EQ(Occurrences(text, "tcpstate_snapshot_age_seconds{netns="), 2);
  EXPECT_NE(text.find("tcpstate_netns_info{netns=\"blue\"} 1\n"),
            std::string::npos);
  // The owner's container, under labels Kubernetes discovery does not use.
  EXPECT_NE(
      text.find("tcpstate_netns_info{netns=\"4026532246\","
                "owner=\"docker:web\",runtime=\"docker\",container_id=\"" +
                std::string(64, 'a') + "\",container_name=\"web\"} 1\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("tcpstate_netns_skipped_total{reason=\"vanished\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("tcpstate_netns_skipped_total{reason=\"denied\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("tcpstate_collect_success 1\n"), std::string::npos);
}

// Regression: a failing namespace used to take its series with it.
TEST(RenderMetricsTest, AFailedNamespaceKeepsItsLastSeriesMarkedStale) {
  SnapshotStore store;
  store.PublishSweep(
      {.results = {Succeeded(SnapshotOfNamespace("blue", 1, 2)),
                   Succeeded(SnapshotOfNamespace("red", 2, 1))}});
  NetworkNamespace blue{1, "blue", "/run/netns/blue", {}};
  store.PublishSweep(
      {.results = {{blue, nullptr, CollectErrorReason::kNoBuffers,
                    "no buffers"},
                   Succeeded(SnapshotOfNamespace("red", 2, 7))},
       .duration = std::chrono::milliseconds(3)});
  const std::string text = RenderMetrics(store);
  EXPECT_NE(text.find("tcpstate_sockets{netns=\"blue\",family=\"ipv4\","
                      "state=\"listen\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tcpstate_sockets{netns=\"red\",family=\"ipv4\","
                      "state=\"listen\"} 7\n"),
            std::string::npos);
  EXPECT_NE(text.find("tcpstate_netns_collect_success{netns=\"blue\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("tcpstate_netns_collect_success{netns=\"red\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("tcpstate_collect_success 0\n"), std::string::npos);
  EXPECT_NE(
      text.find("tcpstate_collect_errors_total{reason=\"no_buffers\"} 1\n"),
      std::string::npos);
}

// Inflates a gzip member (zlib's gzip mode), as Prometheus' client does.
std::string Gunzip(const std::string& gzip) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  z.avail_in = static_cast<uInt>(gzip.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END) << "not one whole member";
  out.resize(static_cast<std::size_t>(z.total_out));
  inflateEnd(&z);
  return out;
}

TEST(ExpositionTest, TheSharedGzipAndAPerScrapeTailAreOneValidMember) {
  SnapshotStore store;
  store.Publish(SnapshotOfNamespace("", 1, 3));
  ExpositionCache cache(store);
  const auto e = cache.Get();
  for (const std::string& tail :
       {std::string(), std::string("x\n"), std::string(200000, 'y')}) {
    const std::string gzip = e->gzip_head + GzipTail(*e, tail);
    EXPECT_EQ(Gunzip(gzip), e->text + tail) << tail.size();
  }
}

TEST(ExpositionTest, RendersOncePerStoreChangeHoweverManyAsk) {
  SnapshotStore store;
  store.Publish(SnapshotOfNamespace("", 1, 3));
  ExpositionCache cache(store);
  std::vector<std::thread> scrapers;
  for (int i = 0; i < 16; ++i) {
    scrapers.emplace_back([&] {
      for (int j = 0; j < 10; ++j) cache.Get();
    });
  }
  for (auto& t : scrapers) t.join();
  EXPECT_EQ(cache.renders(), 1u);
  store.RecordFailure(CollectErrorReason::kTruncated, std::chrono::seconds(1));
  EXPECT_NE(cache.Get()->text.find("tcpstate_collect_success 0\n"),
            std::string::npos);
  EXPECT_EQ(cache.renders(), 2u);
  // A new budget (SIGHUP) is a change too; the same one is not.
  store.SetSeriesLimit(5000);
  cache.Get();
  store.SetSeriesLimit(5000);
  cache.Get();
  EXPECT_EQ(cache.renders(), 3u);
}

TEST(ExpositionTest, TheAgeTailGrowsWithTheClockAndCarriesTheNetns) {
  SnapshotStore store;
  auto snapshot = SnapshotOfNamespace("blue", 7, 1);
  snapshot->taken_at =
      std::chrono::system_clock::now() - std::chrono::seconds(30);
  store.PublishSweep({.results = {Succeeded(snapshot)}});
  ExpositionCache cache(store);
  const auto e = cache.Get();
  EXPECT_EQ(e->text.find("# TYPE tcpstate_snapshot_age_seconds"),
            std::string::npos);
  const std::string tail =
      RenderAgeTail(*e, snapshot->taken_at + std::chrono::seconds(42));
  EXPECT_NE(tail.find("tcpstate_snapshot_age_seconds{netns=\"blue\"} 42\n"),
            std::string::npos)
      << tail;
}

}  // namespace
}  // namespace tcpstated
