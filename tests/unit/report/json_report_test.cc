#include <gtest/gtest.h>

#include "netlink_messages.h"
#include "record_builders.h"
#include "tcpstated/count/collector.h"
#include "tcpstated/diag/replay_source.h"
#include "tcpstated/report/report.h"

namespace tcpstated {
namespace {

constexpr char kZeroStates[] =
    R"({"established":0,"syn_sent":0,"syn_recv":0,"fin_wait1":0,"fin_wait2":0,)"
    R"("time_wait":0,"close":0,"close_wait":0,"last_ack":0,"listen":0,"closing":0})";

TEST(JsonReportTest, EmptySnapshotHasEveryKeyWithZeros) {
  Snapshot s;
  s.collect_duration = std::chrono::duration<double>(0.25);
  const std::string z = kZeroStates;
  EXPECT_EQ(
      FormatJsonReport(s),
      R"({"findings":[],"sockets":)" + z + R"(,"families":{"ipv4":)" + z +
          R"(,"ipv6":)" + z +
          R"(},"ports":[],"listen_queues":[],"ports_folded":)"
          R"({"inbound":0,"outbound":0},"remote_endpoints":[],)"
          R"("ephemeral_port_pressure":0,"close_wait_ages":[],"units":[],)"
          R"("stalled":[],"kernel":{},"collect_seconds":0.25})"
          "\n");
}

TEST(JsonReportTest, PortsListenQueuesAndOtherRow) {
  Snapshot s;
  PortRow row{Direction::kInbound, 8080, {}, {}};
  row.states[Index(TcpState::kCloseWait)] = 7;
  s.ports.push_back(row);
  s.ports.push_back({Direction::kOutbound, std::nullopt, {}, {}});
  s.listen_queues.push_back({8080, 3, 128});
  s.ports_folded = {0, 12};
  const std::string json = FormatJsonReport(s);
  EXPECT_NE(
      json.find(
          R"({"direction":"inbound","port":8080,"states":{"established":0,)"),
      std::string::npos);
  EXPECT_NE(json.find(R"("close_wait":7,)"), std::string::npos);
  EXPECT_NE(json.find(R"({"direction":"outbound","port":"other",)"),
            std::string::npos);
  EXPECT_NE(
      json.find(R"("listen_queues":[{"port":8080,"length":3,"limit":128}])"),
      std::string::npos);
  EXPECT_NE(json.find(R"("ports_folded":{"inbound":0,"outbound":12})"),
            std::string::npos);
}

TEST(JsonReportTest, FindingsComeFirstWithWhoAndWhy) {
  Snapshot s;
  Finding f = testing::MakeFinding(FindingKind::kCloseWait, Direction::kInbound,
                                   8080, 120, 0.5);
  f.evidence.traced = true;
  f.evidence.processes = {{4242, "leaky-server", 120, 'T'}};
  s.findings.push_back(f);
  const std::string json = FormatJsonReport(s);
  EXPECT_EQ(
      json.rfind(R"({"findings":[{"kind":"close_wait","severity":"warning",)"
                 R"("title":"CLOSE_WAIT pileup: inbound port 8080",)"
                 R"("direction":"inbound","ports":[8080],"sockets":120,)"
                 R"("share":0.5,)",
                 0),
      0u)
      << json;
  EXPECT_NE(
      json.find(R"("who":{"role":"holding","processes":[{"pid":4242,)"
                R"("command":"leaky-server","sockets":120,"state":"T"}])"),
      std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("cause":"holder_stopped")"), std::string::npos)
      << json;
}

TEST(JsonReportTest, RecordedDumpReportsTheScenarioTotals) {
  ReplaySource source(testing::FixturePath("mixed-legacy.dump"));
  const std::string json = FormatJsonReport(Collect(source, {}).snapshot);
  EXPECT_NE(
      json.find(R"("sockets":{"established":14,"syn_sent":2,"syn_recv":2,)"
                R"("fin_wait1":0,"fin_wait2":2,"time_wait":4,"close":0,)"
                R"("close_wait":2,"last_ack":0,"listen":4,"closing":0},)"),
      std::string::npos)
      << json;
}

TEST(JsonReportTest, ChurnRatesPerPortWithTheInterval) {
  Snapshot s;
  s.churn_enabled = true;
  ChurnRow before{Direction::kInbound, 80, {}, false};
  ChurnRow now = before;
  now.counts.opens = 10;
  now.counts.closes = {8, 2, 0};
  now.counts.resets = {1, 0};
  s.churn = {now};
  s.churn_before = std::vector<ChurnRow>{before};
  s.churn_interval = std::chrono::seconds(2);
  const std::string json = FormatJsonReport(s);
  EXPECT_NE(json.find(R"("churn":{"interval_seconds":2,"ports":[{"direction":)"
                      R"("inbound","port":80,"opens_per_second":5,)"
                      R"("closes_per_second":{"here":4,"there":1,"reset":0},)"
                      R"("failed_connects_per_second":0,"resets_per_second":)"
                      R"({"here":0.5,"there":0},"retransmits_per_second":)"
                      R"({"data":0,"syn":0}}]})"),
            std::string::npos)
      << json;
  s.churn_before.reset();  // a single reading: no rates, no key
  EXPECT_EQ(FormatJsonReport(s).find("\"churn\""), std::string::npos);
}

}  // namespace
}  // namespace tcpstated
