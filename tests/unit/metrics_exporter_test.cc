#include "tcpstated/export/metrics_exporter.h"

#include <gtest/gtest.h>

#include <memory>

namespace tcpstated {
namespace {

TEST(AccessControlListTest, AllowsListedNetworksAndDeniesTheRest) {
  EXPECT_EQ(AccessControlList({}), "");
  EXPECT_EQ(AccessControlList({"10.0.0.0/8", "127.0.0.1", "::1/128"}),
            "-0.0.0.0/0,+10.0.0.0/8,+127.0.0.1,+::1/128");
}

TEST(AccessControlListTest, RejectsWhatIsNotACidr) {
  for (const char* bad : {"10.0.0.0/33", "::1/129", "example.com", "10.0.0.0/",
                          "10.0.0.0/8x", "1.2.3.4/-1"}) {
    EXPECT_THROW(AccessControlList({bad}), std::invalid_argument) << bad;
  }
}

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
  snapshot->ports.push_back({Direction::kInbound, std::nullopt, {}});
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
  snapshot->netns = NetworkNamespace{inode, name, "/run/netns/" + name, ""};
  if (name.empty()) snapshot->netns->container = "docker-4f2a.scope";
  snapshot->families[0][Index(TcpState::kListen)] = listeners;
  return snapshot;
}

NamespaceResult Succeeded(std::shared_ptr<const Snapshot> snapshot) {
  return {*snapshot->netns, std::move(snapshot), std::nullopt};
}

int Occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
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
  EXPECT_NE(text.find("tcpstate_netns_info{container=\"\",netns=\"blue\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("tcpstate_netns_info{container=\"docker-4f2a.scope\","
                      "netns=\"4026532246\"} 1\n"),
            std::string::npos);
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
  NetworkNamespace blue{1, "blue", "/run/netns/blue", ""};
  store.PublishSweep(
      {.results = {{blue, nullptr, CollectErrorReason::kNoBuffers},
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

TEST(MetricsExporterTest, PortInUseIsAClearError) {
  SnapshotStore store;
  ExporterOptions options;
  options.listen_address = "127.0.0.1:0";
  MetricsExporter first(options, store);
  ASSERT_FALSE(first.ListeningPorts().empty());
  const std::string taken =
      "127.0.0.1:" + std::to_string(first.ListeningPorts()[0]);
  try {
    options.listen_address = taken;
    MetricsExporter second(options, store);
    FAIL() << "bound twice";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot listen on " + taken),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace tcpstated
