#include <signal.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>
#include <tuple>

#include "daemon_fixture.h"
#include "socket_scenario.h"
#include "ss_counts.h"

namespace tcpstated::testing {
namespace {

// Every distinct port label of tcpstate_port_sockets.
std::vector<std::string> PortLabels(const std::string& exposition) {
  std::vector<std::string> labels;
  const std::string key = "port=\"";
  for (auto at = exposition.find(key); at != std::string::npos;
       at = exposition.find(key, at + 1)) {
    const auto begin = at + key.size();
    const std::string port =
        exposition.substr(begin, exposition.find('"', begin) - begin);
    if (std::find(labels.begin(), labels.end(), port) == labels.end()) {
      labels.push_back(port);
    }
  }
  return labels;
}

double Collections(const HttpResponse& r) {
  return SampleValue(r.body, "tcpstate_collections_total").value_or(-1);
}

class DaemonLifecycleTest : public DaemonTest {};

TEST_F(DaemonLifecycleTest, BadConfigFilesExitWithTwoAndNameTheProblem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"collect.interval = \"15s\"\nweb.listen-adress = \":1\"\n",
       "unknown key \"web.listen-adress\""},
      {"collect.interval = \"soon\"\n",
       "line 1 column 20: collect.interval: expected a duration"},
      {"ports.max = 0\n", "ports.max: expected a whole number from 1"},
      {"log.level = \"loud\"\n", "log.level: expected one of"},
      {"web.allow = [\"300.1.1.1/8\"]\n", "\"300.1.1.1/8\" is not an address"},
  };
  for (const auto& [text, message] : cases) {
    const std::string path = WriteFile("bad.conf", text);
    for (const std::string& command :
         {kTcpstated + " check-config " + path,
          kTcpstated + " run --config.file " + path}) {
      const auto result = RunCommand(command);
      EXPECT_EQ(result.exit_code, 2) << command;
      EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
      EXPECT_EQ(CountOccurrences(result.err, "\n"), 1)
          << "one line: " << result.err;
    }
  }
  const auto missing =
      RunCommand(kTcpstated + " check-config /nonexistent.conf");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent.conf"), std::string::npos);
}

TEST_F(DaemonLifecycleTest, ShippedConfigIsValid) {
  const auto result = RunCommand(kTcpstated + " check-config " +
                                 TCPSTATED_SOURCE_DIR "/config/tcpstated.conf");
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(DaemonLifecycleTest,
       SighupAppliesAGoodFileAndKeepsTheOldConfigOnABadOne) {
  const std::string path =
      WriteFile("tcpstated.conf", "collect.interval = \"1h\"\n");
  auto daemon = StartDaemon({"--config.file", path});
  EXPECT_EQ(Collections(Scrape()), 1);

  std::ofstream(path) << "collect.interval = \"100ms\"\n";
  daemon->Signal(SIGHUP);
  EXPECT_TRUE(WaitFor([&] { return Collections(Scrape()) >= 5; },
                      std::chrono::seconds(5)))
      << daemon->Stderr();
  EXPECT_NE(daemon->Stderr().find("configuration reloaded"), std::string::npos);

  std::ofstream(path) << "collect.interval = \"never\"\n";
  daemon->Signal(SIGHUP);
  EXPECT_TRUE(WaitFor(
      [&] {
        return daemon->Stderr().find("reload failed") != std::string::npos;
      },
      std::chrono::seconds(5)));
  const double before = Collections(Scrape());
  EXPECT_TRUE(WaitFor([&] { return Collections(Scrape()) >= before + 3; },
                      std::chrono::seconds(5)))
      << "the 100ms interval stays";
  EXPECT_NE(daemon->Stderr().find("collect.interval"), std::string::npos);
}

TEST_F(DaemonLifecycleTest, SigtermAndSigintStopCleanlyWithinTwoSeconds) {
  for (int signal : {SIGTERM, SIGINT}) {
    auto daemon = StartDaemon({"--collect.interval", "1s"});
    const auto started = std::chrono::steady_clock::now();
    daemon->Signal(signal);
    EXPECT_EQ(daemon->WaitExit(std::chrono::seconds(2)), 0) << daemon->Stderr();
    EXPECT_LT(std::chrono::steady_clock::now() - started,
              std::chrono::seconds(2));
    EXPECT_NE(daemon->Stderr().find("stopped"), std::string::npos);
  }
}

TEST_F(DaemonLifecycleTest, FiftyConcurrentScrapesCostNoCollection) {
  auto daemon = StartDaemon({"--collect.interval", "1h"});
  ASSERT_EQ(Collections(Scrape()), 1);
  std::atomic<int> ok{0};
  std::vector<std::thread> scrapers;
  for (int i = 0; i < 50; ++i) {
    // Five scrapers per address: under the per-client connection limit.
    scrapers.emplace_back([&, i] {
      const auto r = HttpGet(kPort, "/metrics", "",
                             From("127.0.0." + std::to_string(20 + i / 5)));
      if (r.status == 200 &&
          r.body.find("tcpstate_sockets{") != std::string::npos) {
        ++ok;
      }
    });
  }
  for (auto& t : scrapers) t.join();
  EXPECT_EQ(ok.load(), 50);
  EXPECT_EQ(Collections(Scrape()), 1);
}

TEST_F(DaemonLifecycleTest, UnknownPathsGet404AndGarbageDoesNotHurt) {
  auto daemon = StartDaemon({});
  EXPECT_EQ(HttpGet(kPort, "/nope").status, 404);
  const std::string garbage[] = {
      std::string("BLAH\r\n\x01\x02\xff\r\n\r\n", 12),
      "GET /metrics HTTP/9.9\r\n\r\n",
      "GET " + std::string(100000, 'a') + " HTTP/1.0\r\n\r\n",
      "GET /metrics HTTP/1.0\r\nContent-Length: -5\r\n\r\n",
  };
  for (const std::string& request : garbage) {
    const std::string answer = RawExchange(kPort, request);
    EXPECT_EQ(answer.find("tcpstate_"), std::string::npos)
        << request.substr(0, 40);
  }
  EXPECT_EQ(Scrape().status, 200);
  EXPECT_TRUE(daemon->Running());
}

TEST_F(DaemonLifecycleTest,
       FailedCollectionKeepsTheLastSnapshotAndIsLoggedOnce) {
  const std::string dump = TempPath("live.dump");
  std::filesystem::copy_file(TCPSTATED_FIXTURES "/mixed-legacy.dump", dump);
  created_.push_back(dump);
  auto daemon = StartDaemon(
      {"--collect.replay-dump", dump, "--collect.interval", "100ms"});
  const std::string listen =
      R"(tcpstate_sockets{family="ipv4",state="listen"})";
  EXPECT_EQ(SampleValue(Scrape().body, listen), 3);

  std::ofstream(dump, std::ios::trunc) << "garbage that is not a dump";
  EXPECT_TRUE(WaitFor(
      [&] {
        const auto body = Scrape().body;
        return SampleValue(body, "tcpstate_collect_success") == 0 &&
               SampleValue(
                   body,
                   R"(tcpstate_collect_errors_total{reason="malformed"})") >= 3;
      },
      std::chrono::seconds(5)));
  const auto body = Scrape().body;
  EXPECT_EQ(SampleValue(body, listen), 3) << "the last good snapshot stays";
  EXPECT_EQ(CountOccurrences(daemon->Stderr(), "collection failed"), 1)
      << daemon->Stderr();

  std::filesystem::copy_file(TCPSTATED_FIXTURES "/mixed-legacy.dump", dump,
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_TRUE(WaitFor(
      [&] {
        return SampleValue(Scrape().body, "tcpstate_collect_success") == 1;
      },
      std::chrono::seconds(5)));
  EXPECT_NE(daemon->Stderr().find("collection succeeds again"),
            std::string::npos);
}

TEST_F(DaemonLifecycleTest, EveryInjectedFaultKeepsTheLastSnapshotAndRecovers) {
  const std::string good = TCPSTATED_FIXTURES "/mixed-legacy.dump";
  const std::string corpus =
      TCPSTATED_SOURCE_DIR "/tests/fuzz/corpus/dump_parser/";
  std::ifstream in(good, std::ios::binary);
  const std::string dump((std::istreambuf_iterator<char>(in)), {});
  std::string corrupted = dump;
  corrupted[0] = 7;  // first nlmsg_len shorter than a header
  corrupted[1] = corrupted[2] = corrupted[3] = 0;
  const auto read = [](const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(file)), {});
  };
  const std::vector<std::tuple<std::string, std::string, std::string>> faults =
      {
          {"truncated", dump.substr(0, dump.size() / 2), "malformed"},
          {"corrupted length", corrupted, "malformed"},
          {"NLMSG_ERROR", read(corpus + "error.dump"), "netlink_error"},
          {"ENOBUFS in NLMSG_DONE", read(corpus + "done-enobufs.dump"),
           "netlink_error"},
      };
  const std::string path = TempPath("faulty.dump");
  created_.push_back(path);
  std::filesystem::copy_file(good, path);
  auto daemon = StartDaemon(
      {"--collect.replay-dump", path, "--collect.interval", "100ms"});
  const std::string listen =
      R"(tcpstate_sockets{family="ipv4",state="listen"})";
  for (const auto& [name, bytes, reason] : faults) {
    SCOPED_TRACE(name);
    const std::string errors =
        "tcpstate_collect_errors_total{reason=\"" + reason + "\"}";
    const double before = SampleValue(Scrape().body, errors).value_or(-1);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    EXPECT_TRUE(WaitFor(
        [&] {
          const auto body = Scrape().body;
          return SampleValue(body, "tcpstate_collect_success") == 0 &&
                 SampleValue(body, errors) > before;
        },
        std::chrono::seconds(5)));
    EXPECT_EQ(SampleValue(Scrape().body, listen), 3)
        << "last good snapshot stays";
    std::filesystem::copy_file(
        good, path, std::filesystem::copy_options::overwrite_existing);
    EXPECT_TRUE(WaitFor(
        [&] {
          return SampleValue(Scrape().body, "tcpstate_collect_success") == 1;
        },
        std::chrono::seconds(5)));
  }
  EXPECT_TRUE(daemon->Running());
}

TEST_F(DaemonLifecycleTest, ServesTheKernelsTotalsForAMixNobodyDesigned) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  SocketScenario scenario;
  for (int service = 0; service < 5; ++service) {
    const IpFamily family = random() % 2 ? IpFamily::kV4 : IpFamily::kV6;
    const auto port = scenario.Listen(family, 0, 64);
    scenario.Established(family, port, static_cast<int>(random() % 15));
    scenario.CloseWait(family, port, static_cast<int>(random() % 15),
                       random() % 2);
    scenario.TimeWait(family, port, static_cast<int>(random() % 15));
  }
  auto daemon = StartDaemon({"--collect.interval", "1s"});
  // One more collection after the daemon came up, so it saw every socket.
  const double first = Collections(Scrape());
  ASSERT_TRUE(WaitFor([&] { return Collections(Scrape()) > first; },
                      std::chrono::seconds(5)));
  // The daemon's own HTTP sockets come and go with every scrape: leave
  // port kPort out on both sides.
  const auto body = Scrape().body;
  const std::string port = std::to_string(kPort);
  const auto kernel =
      CountWithSs("( sport != :" + port + " and dport != :" + port + " )");
  for (TcpState state : kAllTcpStates) {
    double served = 0;
    for (const char* direction : {"inbound", "outbound"}) {
      for (const std::string& label : PortLabels(body)) {
        if (label == port) continue;
        served +=
            SampleValue(body,
                        std::string("tcpstate_port_sockets{direction=\"") +
                            direction + "\",port=\"" + label + "\",state=\"" +
                            std::string(StateName(state)) + "\"}")
                .value_or(0);
      }
    }
    EXPECT_EQ(served, static_cast<double>(kernel[0][Index(state)] +
                                          kernel[1][Index(state)]))
        << StateName(state);
  }
}

}  // namespace
}  // namespace tcpstated::testing
