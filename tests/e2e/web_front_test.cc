// The endpoint as operators meet it: IPv6 and IPv4, TLS and basic auth from
// a node_exporter-style web config, the access list, reloads, and clients
// that misbehave. Each test runs the real daemon in a namespace of its own.
#include <crypt.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <tuple>

#include "daemon_fixture.h"
#include "ss_counts.h"

namespace tcpstated::testing {
namespace {

const std::string kTls = TCPSTATED_FIXTURES "/tls";

std::string Bcrypt(const char* password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  crypt_gensalt_rn("$2y$", 5, nullptr, 0, salt, sizeof salt);
  crypt_data data{};
  return crypt_r(password, salt, &data);
}

class WebFrontTest : public DaemonTest {
 protected:
  // curl's HTTP status for URL with ARGS ("000": no HTTP answer).
  std::string Curl(const std::string& args, const std::string& url) {
    return RunCommand("curl -s -o /dev/null -w '%{http_code}' --max-time 5 " +
                      args + " '" + url + "'")
        .out;
  }
  std::string Https(const std::string& args = "") {
    return Curl("--cacert " + kTls + "/ca.crt " + args,
                "https://localhost:" + std::to_string(kPort) + "/metrics");
  }
  // A copy of the server certificate (serial 02) and key, to replace.
  std::pair<std::string, std::string> OwnServerPair() {
    const std::string cert = TempPath("server.crt");
    const std::string key = TempPath("server.key");
    std::filesystem::copy_file(kTls + "/server.crt", cert);
    std::filesystem::copy_file(kTls + "/server.key", key);
    created_.insert(created_.end(), {cert, key});
    return {cert, key};
  }
  // "serial=NN\n" of the certificate a new connection gets.
  std::string ServedSerial() {
    return RunCommand(
               "openssl s_client -connect 127.0.0.1:" + std::to_string(kPort) +
               " </dev/null 2>/dev/null | openssl x509 -noout -serial")
        .out;
  }
  std::unique_ptr<ChildProcess> StartWith(std::vector<std::string> args) {
    auto daemon = std::make_unique<ChildProcess>([&] {
      std::vector<std::string> argv = {kTcpstated, "run", "--config.file",
                                       "/dev/null"};
      argv.insert(argv.end(), args.begin(), args.end());
      return argv;
    }());
    EXPECT_TRUE(WaitFor(
        [&] { return daemon->Stderr().find("serving") != std::string::npos; },
        std::chrono::seconds(10)))
        << daemon->Stderr();
    return daemon;
  }
};

TEST_F(WebFrontTest, OneColonPortListenerServesIpv6AndIpv4) {
  auto daemon =
      StartWith({"--web.listen-address", ":" + std::to_string(kPort)});
  EXPECT_TRUE(WaitFor([&] { return Scrape().status == 200; },
                      std::chrono::seconds(10)));
  EXPECT_EQ(HttpGet(kPort, "/metrics", "", Ipv6Loopback()).status, 200);
  EXPECT_NE(daemon->Stderr().find("on [::]:" + std::to_string(kPort)),
            std::string::npos);
}

// Regression: "[::1]:PORT" made the civetweb front exit at start.
TEST_F(WebFrontTest, AnIpv6OnlyAddressServesThereOnly) {
  auto daemon =
      StartWith({"--web.listen-address", "[::1]:" + std::to_string(kPort)});
  EXPECT_TRUE(WaitFor(
      [&] {
        return HttpGet(kPort, "/metrics", "", Ipv6Loopback()).status == 200;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(Scrape().status, 0) << "nothing on 127.0.0.1";
}

TEST_F(WebFrontTest, ANodeExporterWebConfigServesHttpsWithBasicAuth) {
  const std::string web = WriteFile(
      "web.yml", "tls_server_config:\n  cert_file: " + kTls +
                     "/server.crt\n  key_file: " + kTls +
                     "/server.key\nbasic_auth_users:\n  prometheus: " +
                     Bcrypt("s3cret") + "\n");
  EXPECT_EQ(RunCommand("promtool check web-config " + web).exit_code, 0);
  auto daemon =
      StartWith({"--web.listen-address", "127.0.0.1:" + std::to_string(kPort),
                 "--web.config.file", web});
  EXPECT_TRUE(WaitFor([&] { return Https("-u prometheus:s3cret") == "200"; },
                      std::chrono::seconds(10)));
  EXPECT_EQ(Https(), "401");
  EXPECT_EQ(Https("-u prometheus:wrong"), "401");
  EXPECT_EQ(Https("-u someone:s3cret"), "401");
  const auto head =
      RunCommand("curl -sI --cacert " + kTls + "/ca.crt https://localhost:" +
                 std::to_string(kPort) + "/metrics");
  EXPECT_NE(head.out.find("WWW-Authenticate: Basic realm=\"tcpstated\""),
            std::string::npos)
      << head.out;
  EXPECT_EQ(Scrape().status, 0) << "no plain HTTP on a TLS endpoint";
}

TEST_F(WebFrontTest, ARequiredClientCertificateIsVerified) {
  const std::string web = WriteFile(
      "web.yml", "tls_server_config:\n  cert_file: " + kTls +
                     "/server.crt\n  key_file: " + kTls +
                     "/server.key\n  client_auth_type: "
                     "RequireAndVerifyClientCert\n  client_ca_file: " +
                     kTls + "/ca.crt\n");
  auto daemon =
      StartWith({"--web.listen-address", "127.0.0.1:" + std::to_string(kPort),
                 "--web.config.file", web});
  const std::string ours =
      "--cert " + kTls + "/client.crt --key " + kTls + "/client.key";
  EXPECT_TRUE(
      WaitFor([&] { return Https(ours) == "200"; }, std::chrono::seconds(10)));
  EXPECT_EQ(Https(), "000") << "no certificate: the handshake fails";
  EXPECT_EQ(
      Https("--cert " + kTls + "/stranger.crt --key " + kTls + "/stranger.key"),
      "000")
      << "a certificate of another CA";
}

// promtool and check-config read the same files the same way.
TEST_F(WebFrontTest, CheckConfigAgreesWithPromtoolOnWebConfigs) {
  const std::string good_tls = "tls_server_config:\n  cert_file: " + kTls +
                               "/server.crt\n  key_file: " + kTls +
                               "/server.key\n";
  const std::vector<std::pair<std::string, bool>> cases = {
      {good_tls, true},
      {good_tls +
           "  client_auth_type: VerifyClientCertIfGiven\n  "
           "client_ca_file: " +
           kTls + "/ca.crt\n",
       true},
      {"basic_auth_users:\n  a: " + Bcrypt("x") + "\n", true},
      {"tls_server_config:\n  cert_file: " + kTls + "/server.crt\n", false},
      {good_tls + "  client_ca_file: " + kTls + "/ca.crt\n", false},
      {good_tls + "  client_auth_type: Maybe\n", false},
      {"basic_auth_users:\n  a: notahash\n", false},
      {"http_server_config:\n  headers:\n    X-Frame-Options: allow\n", false},
      {"tls_server_config:\n  cert_file: " + kTls +
           "/server.crt\n"
           "  key_file: " +
           kTls + "/client.key\n",
       false},
  };
  for (const auto& [yaml, good] : cases) {
    const std::string web = WriteFile("web.yml", yaml);
    const std::string config =
        WriteFile("tcpstated.conf", "web.config.file = \"" + web + "\"\n");
    const int promtool =
        RunCommand("promtool check web-config " + web).exit_code;
    const auto ours = RunCommand(kTcpstated + " check-config " + config);
    EXPECT_EQ(promtool == 0, good) << yaml;
    EXPECT_EQ(ours.exit_code, good ? 0 : 2) << yaml << ours.err;
  }
}

TEST_F(WebFrontTest, TheAllowListTakesIpv6EntriesAndClosesOnOthers) {
  auto daemon = StartWith({"--web.listen-address", ":" + std::to_string(kPort),
                           "--web.allow", "::1/128,127.0.0.2/32"});
  EXPECT_TRUE(WaitFor(
      [&] {
        return HttpGet(kPort, "/metrics", "", Ipv6Loopback()).status == 200;
      },
      std::chrono::seconds(10)));
  // A mapped IPv4 peer matches the IPv4 entry.
  EXPECT_EQ(HttpGet(kPort, "/metrics", "", From("127.0.0.2")).status, 200);
  // Refused: accepted by the kernel, closed at once, nothing said.
  const std::string refused =
      RawExchange(kPort, "GET /metrics HTTP/1.0\r\n\r\n", From("127.0.0.1"));
  EXPECT_EQ(refused, "");
  EXPECT_TRUE(daemon->Running());
}

TEST_F(WebFrontTest, SighupRotatesTheCertificateAndThePassword) {
  std::string cert, key;  // not a structured binding: lambdas use them
  std::tie(cert, key) = OwnServerPair();
  const auto web_with = [&](const char* password) {
    return "tls_server_config:\n  cert_file: " + cert + "\n  key_file: " + key +
           "\nbasic_auth_users:\n  prometheus: " + Bcrypt(password) + "\n";
  };
  const std::string web = WriteFile("web.yml", web_with("old"));
  auto daemon =
      StartWith({"--web.listen-address", "127.0.0.1:" + std::to_string(kPort),
                 "--web.config.file", web});
  ASSERT_TRUE(WaitFor([&] { return Https("-u prometheus:old") == "200"; },
                      std::chrono::seconds(10)));
  EXPECT_EQ(ServedSerial(), "serial=02\n");
  std::filesystem::copy_file(kTls + "/server2.crt", cert,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(kTls + "/server2.key", key,
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(web) << web_with("new");
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return daemon->Stderr().find("configuration reloaded") !=
               std::string::npos;
      },
      std::chrono::seconds(10)))
      << daemon->Stderr();
  EXPECT_EQ(ServedSerial(), "serial=05\n");
  EXPECT_EQ(Https("-u prometheus:new"), "200");
  EXPECT_EQ(Https("-u prometheus:old"), "401") << "the old password is gone";
  // A bad file keeps what runs.
  std::ofstream(web) << "tls_server_config:\n  cert_file: /nonexistent\n";
  daemon->Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return daemon->Stderr().find("reload failed") != std::string::npos;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(Https("-u prometheus:new"), "200");
}

// Regression: TLS 1.2 offered AES-CCM (GnuTLS's NORMAL); exporter-toolkit
// offers Go's default list, which has none, nor CBC with SHA-256.
TEST_F(WebFrontTest, TheDefaultCipherSuitesAreGos) {
  const std::string web = WriteFile(
      "web.yml", "tls_server_config:\n  cert_file: " + kTls +
                     "/server.crt\n  key_file: " + kTls + "/server.key\n");
  auto daemon =
      StartWith({"--web.listen-address", "127.0.0.1:" + std::to_string(kPort),
                 "--web.config.file", web});
  const auto negotiated = [&](const std::string& priority) {  // or ""
    return RunCommand("echo | timeout 10 gnutls-cli --insecure --priority '" +
                      priority + "' -p " + std::to_string(kPort) +
                      " 127.0.0.1 2>&1 | grep -- '- Description:'")
        .out;
  };
  const std::string tls12 = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:";
  ASSERT_TRUE(
      WaitFor([&] { return !negotiated(tls12 + "+AES-128-GCM").empty(); },
              std::chrono::seconds(10)))
      << daemon->Stderr();
  EXPECT_NE(negotiated(tls12 + "+CHACHA20-POLY1305"), "");
  EXPECT_NE(negotiated(tls12 + "+AES-256-CBC:-MAC-ALL:+SHA1"), "");
  EXPECT_NE(negotiated("NORMAL:-VERS-ALL:+VERS-TLS1.3"), "");
  EXPECT_EQ(negotiated(tls12 + "+AES-128-CCM"), "");
  EXPECT_EQ(negotiated(tls12 + "+AES-256-CCM"), "");
  EXPECT_EQ(negotiated(tls12 + "+AES-128-CBC:-MAC-ALL:+SHA256"), "");
}

// Regression: a certificate renewed on disk was served only after SIGHUP;
// exporter-toolkit reads it again for new connections.
TEST_F(WebFrontTest, ARenewedCertificateIsServedWithoutASignal) {
  std::string cert, key;  // not a structured binding: lambdas use them
  std::tie(cert, key) = OwnServerPair();
  const std::string web =
      WriteFile("web.yml", "tls_server_config:\n  cert_file: " + cert +
                               "\n  key_file: " + key + "\n");
  auto daemon =
      StartWith({"--web.listen-address", "127.0.0.1:" + std::to_string(kPort),
                 "--web.config.file", web});
  ASSERT_TRUE(WaitFor([&] { return ServedSerial() == "serial=02\n"; },
                      std::chrono::seconds(10)));
  // A renewal as certbot or cert-manager makes it: new files in place.
  const auto replace = [](const std::string& from, const std::string& to) {
    std::filesystem::copy_file(
        from, to + ".new", std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(to + ".new", to);
  };
  replace(kTls + "/server2.key", key);
  replace(kTls + "/server2.crt", cert);
  EXPECT_TRUE(WaitFor([&] { return ServedSerial() == "serial=05\n"; },
                      std::chrono::seconds(10)))
      << daemon->Stderr();
  // A broken key keeps the pair in use, with one warning.
  std::ofstream(key + ".new") << "not a key\n";
  std::filesystem::rename(key + ".new", key);
  const std::string warning = "TLS files changed but do not load";
  EXPECT_TRUE(WaitFor(
      [&] {
        ServedSerial();
        return daemon->Stderr().find(warning) != std::string::npos;
      },
      std::chrono::seconds(10)));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ServedSerial(), "serial=05\n");
  EXPECT_EQ(CountOccurrences(daemon->Stderr(), warning), 1) << daemon->Stderr();
}

}  // namespace
}  // namespace tcpstated::testing
