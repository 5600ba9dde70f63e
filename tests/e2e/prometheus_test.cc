// A real Prometheus server scrapes the daemon; the test reads the result
// back through Prometheus's HTTP API.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <regex>

#include "closing_traffic.h"
#include "daemon_fixture.h"
#include "socket_scenario.h"

namespace tcpstated::testing {
namespace {

constexpr int kPrometheusPort = 9090;
constexpr std::uint16_t kChurnPort = 9300;

std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class PrometheusTest : public DaemonTest {
 protected:
  // With `rules`, Prometheus also evaluates that rule file every second;
  // `scrape` is added to the scrape job (scheme, tls_config, basic_auth).
  std::unique_ptr<ChildProcess> StartPrometheus(
      const std::string& rules = "", const std::string& scrape = "") {
    dir_ = TempPath("prometheus");
    std::filesystem::create_directories(dir_);
    std::ofstream config(dir_ + "/prometheus.yml");
    config << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n";
    if (!rules.empty()) {
      std::ofstream(dir_ + "/rules.yml") << rules;
      config << "rule_files: ['" << dir_ << "/rules.yml']\n";
    }
    config << "scrape_configs:\n  - job_name: tcpstated\n"
           << scrape
           << "    static_configs:\n      - targets: ['localhost:" << kPort
           << "']\n";
    config.close();
    auto prometheus = std::make_unique<ChildProcess>(std::vector<std::string>{
        "prometheus", "--config.file=" + dir_ + "/prometheus.yml",
        "--storage.tsdb.path=" + dir_ + "/data",
        "--web.listen-address=127.0.0.1:" + std::to_string(kPrometheusPort)});
    EXPECT_TRUE(WaitFor(
        [] { return HttpGet(kPrometheusPort, "/-/ready").status == 200; },
        std::chrono::seconds(30)))
        << prometheus->Stderr();
    return prometheus;
  }

  // The value of a scalar-valued instant query, or nullopt if empty.
  std::optional<double> Query(const std::string& promql) {
    const auto r =
        HttpGet(kPrometheusPort, "/api/v1/query?query=" + UrlEncode(promql));
    static const std::regex kValue(R"re("value":\[[0-9.]+,"([^"]+)"\])re");
    std::smatch match;
    if (r.status != 200 || !std::regex_search(r.body, match, kValue)) {
      return std::nullopt;
    }
    return std::stod(match[1]);
  }

  bool WaitForQuery(const std::string& promql, double expected) {
    return WaitFor([&] { return Query(promql) == expected; },
                   std::chrono::seconds(30));
  }

  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string dir_;
};

TEST_F(PrometheusTest, PrometheusSeesCloseWaitSocketsComeAndGo) {
  constexpr int kLeaked = 7;
  auto scenario = std::make_unique<SocketScenario>();
  const auto port = scenario->Listen(IpFamily::kV4, 0, 64);
  scenario->Established(IpFamily::kV4, port, 3);
  scenario->CloseWait(IpFamily::kV4, port, kLeaked);

  auto daemon = StartDaemon({"--collect.interval", "1s"});
  auto prometheus = StartPrometheus();

  const std::string close_wait = R"(sum(tcpstate_sockets{state="close_wait"}))";
  EXPECT_TRUE(WaitForQuery(close_wait, kLeaked))
      << "last value: " << Query(close_wait).value_or(-1);
  EXPECT_EQ(Query("tcpstate_port_sockets{direction=\"inbound\",port=\"" +
                  std::to_string(port) + "\",state=\"close_wait\"}"),
            kLeaked);
  EXPECT_EQ(Query("tcpstate_collect_success"), 1);

  scenario.reset();  // the leaking server finally closes its sockets
  EXPECT_TRUE(WaitForQuery(close_wait, 0))
      << "last value: " << Query(close_wait).value_or(-1);
}

// HTTPS as a real Prometheus scrapes it: the daemon's certificate checked
// against the CA, and a client certificate required by the daemon.
TEST_F(PrometheusTest, PrometheusScrapesOverTlsWithAClientCertificate) {
  const std::string tls = TCPSTATED_FIXTURES "/tls";
  const std::string web = TempPath("web.yml");
  std::ofstream(web) << "tls_server_config:\n  cert_file: " << tls
                     << "/server.crt\n  key_file: " << tls
                     << "/server.key\n  client_auth_type: "
                        "RequireAndVerifyClientCert\n  client_ca_file: "
                     << tls << "/ca.crt\n";
  auto daemon = std::make_unique<ChildProcess>(std::vector<std::string>{
      kTcpstated, "run", "--config.file", "/dev/null", "--web.listen-address",
      "127.0.0.1:" + std::to_string(kPort), "--web.config.file", web,
      "--collect.interval", "1s"});
  const std::string ca =
      "    scheme: https\n    tls_config:\n      ca_file: " + tls + "/ca.crt\n";
  auto prometheus = StartPrometheus(
      "", ca + "      cert_file: " + tls +
              "/client.crt\n      key_file: " + tls + "/client.key\n");
  EXPECT_TRUE(WaitForQuery("up{job=\"tcpstated\"}", 1)) << daemon->Stderr();
  EXPECT_TRUE(WaitForQuery("tcpstate_collect_success", 1));
  prometheus.reset();
  std::filesystem::remove_all(dir_);
  // The same without a client certificate: refused.
  prometheus = StartPrometheus("", ca);
  EXPECT_TRUE(WaitFor(
      [&] {
        const auto r = HttpGet(kPrometheusPort, "/api/v1/targets");
        return r.body.find("\"health\":\"down\"") != std::string::npos;
      },
      std::chrono::seconds(30)));
  std::filesystem::remove(web);
}

// The shipped rules with every `for:` cut to 2 s, so alerts fire in a test.
std::string ShippedRulesWithShortFor() {
  std::ifstream file(TCPSTATED_SOURCE_DIR "/config/tcpstated-alerts.yml");
  const std::string rules((std::istreambuf_iterator<char>(file)), {});
  return std::regex_replace(rules, std::regex(R"(for: "?\w+"?)"), "for: 2s");
}

TEST_F(PrometheusTest, ShippedCloseWaitLeakAlertFiresAndResolves) {
  auto scenario = std::make_unique<SocketScenario>();
  const auto port = scenario->Listen(IpFamily::kV4, 0, 64);
  scenario->CloseWait(IpFamily::kV4, port, 4);  // accepted, never closed

  auto daemon =
      StartDaemon({"--collect.interval", "1s", "--leak.close-wait-age", "2s"});
  auto prometheus = StartPrometheus(ShippedRulesWithShortFor());

  const std::string firing = "\"alertname\":\"TcpCloseWaitLeak\"";
  const auto leak_alert = [&] {
    const auto r = HttpGet(kPrometheusPort, "/api/v1/alerts");
    const auto at = r.body.find(firing);
    return at == std::string::npos ? std::string() : r.body;
  };
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string alerts = leak_alert();
        return alerts.find("\"state\":\"firing\"") != std::string::npos;
      },
      std::chrono::seconds(40)))
      << HttpGet(kPrometheusPort, "/api/v1/alerts").body;
  const std::string alerts = leak_alert();
  EXPECT_NE(alerts.find("\"port\":\"" + std::to_string(port) + "\""),
            std::string::npos);
  EXPECT_NE(
      alerts.find("CLOSE_WAIT leak on inbound port " + std::to_string(port)),
      std::string::npos)
      << alerts;

  scenario.reset();  // the leaking server finally closes its sockets
  EXPECT_TRUE(
      WaitFor([&] { return leak_alert().empty(); }, std::chrono::seconds(30)))
      << leak_alert();
}

// The queries of the shipped Grafana dashboard, with its variables set to
// what a user would pick: every instance, the CLOSE_WAIT state.
std::vector<std::string> ShippedDashboardQueries() {
  std::ifstream file(TCPSTATED_SOURCE_DIR
                     "/packaging/tcpstated-dashboard.json");
  const std::string json((std::istreambuf_iterator<char>(file)), {});
  static const std::regex kExpr(R"re("expr":\s*"((?:[^"\\]|\\.)*)")re");
  std::vector<std::string> queries;
  for (std::sregex_iterator it(json.begin(), json.end(), kExpr), end; it != end;
       ++it) {
    std::string query =
        std::regex_replace((*it)[1].str(), std::regex(R"(\\(.))"), "$1");
    query = std::regex_replace(query, std::regex(R"(\$instance\b)"), ".*");
    query = std::regex_replace(query, std::regex(R"(\$netns\b)"), ".*");
    query = std::regex_replace(query, std::regex(R"(\$state\b)"), "close_wait");
    query =
        std::regex_replace(query, std::regex(R"(\$__rate_interval\b)"), "1m");
    queries.push_back(query);
  }
  return queries;
}

// Every panel of the dashboard shows data on a host with a CLOSE_WAIT
// pileup, a full accept queue, connections whose data nobody reads and
// connections coming and going (the event source on): no query is
// malformed or names a series (or recording rule) that does not exist.
TEST_F(PrometheusTest, EveryDashboardQueryReturnsDataDuringALeak) {
  auto queries = ShippedDashboardQueries();
  ASSERT_GE(queries.size(), 30u);
  const bool btf = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
  if (!btf) {  // no event source: its panels stay empty, and say so
    std::cout << "no BTF: the connection churn panels are not checked\n";
    std::erase_if(queries, [](const std::string& q) {
      return q.find("tcpstate_port_") != std::string::npos &&
             q.find("tcpstate_port_sockets") == std::string::npos;
    });
  }

  SocketScenario scenario;
  const auto port = scenario.Listen(IpFamily::kV4, 0, 64);
  scenario.Established(IpFamily::kV4, port, 3);
  scenario.CloseWait(IpFamily::kV4, port, 4);
  scenario.Unread(IpFamily::kV4, port, 3, 1000);
  const auto full = scenario.Listen(IpFamily::kV4, 0, 0);
  scenario.Queued(IpFamily::kV4, full, 1);
  scenario.SynSent(IpFamily::kV4, full, 2);
  auto daemon =
      StartDaemon({"--collect.interval", "1s", "--leak.close-wait-age", "1s",
                   "--pileup.min-sockets", "2", "--findings.for", "0s",
                   "--stall.min-sockets", "2", "--collect.events",
                   btf ? "bpf" : "off", "--events.lifetime-ports", "5"});
  auto prometheus = StartPrometheus(ShippedRulesWithShortFor());
  // Churn while the program counts: connections closed by each end.
  const UniqueFd churn = LoopbackListener(kChurnPort);
  CloseConnections(churn.get(), kChurnPort, 20, 20);

  for (const std::string& query : queries) {
    std::string body;
    const bool has_data = WaitFor(
        [&] {
          const auto r = HttpGet(kPrometheusPort,
                                 "/api/v1/query?query=" + UrlEncode(query));
          body = r.body;
          return r.status == 200 &&
                 body.find("\"result\":[{") != std::string::npos;
        },
        std::chrono::seconds(30));
    EXPECT_TRUE(has_data) << query << "\n" << body;
  }
}

}  // namespace
}  // namespace tcpstated::testing
