#include "tcpstated/web/web_config.h"

#include <gtest/gtest.h>

#include "web/tls_credentials.h"
#include "web/tls_priorities.h"

namespace tcpstated {
namespace {

const std::string kTls = TCPSTATED_FIXTURES "/tls";

WebConfig Parse(const std::string& yaml) {
  return ParseWebConfig(yaml, kTls, "web.yml");
}

std::string ErrorOf(const std::string& yaml) {
  try {
    const WebConfig config = Parse(yaml);
    if (config.tls.enabled) {
      TlsCredentials::Load(config.tls);
      TlsPriorities(config.tls);
    }
  } catch (const WebConfigError& error) {
    return error.what();
  }
  return "";
}

// As node_exporter's documentation shows it, unchanged.
TEST(WebConfigTest, ReadsANodeExporterWebConfig) {
  const WebConfig c = Parse(R"(
tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: "RequireAndVerifyClientCert"
  client_ca_file: ca.crt
  min_version: TLS12
  max_version: TLS13
  cipher_suites:
    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
  prefer_server_cipher_suites: true
  curve_preferences: [X25519, CurveP256]
http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    X-Content-Type-Options: nosniff
basic_auth_users:
  prometheus: $2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG
rate_limit:
  interval: 100ms
  burst: 10
)");
  EXPECT_TRUE(c.tls.enabled);
  EXPECT_NE(c.tls.cert_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_EQ(c.tls.client_auth, ClientAuth::kRequireAndVerifyClientCert);
  EXPECT_EQ(c.users.size(), 1u);
  EXPECT_EQ(c.headers.size(), 2u);
  EXPECT_EQ(c.rate_interval, std::chrono::milliseconds(100));
  EXPECT_FALSE(c.http2);
  const auto credentials = TlsCredentials::Load(c.tls);
  EXPECT_EQ(credentials->RequestMode(), GNUTLS_CERT_REQUIRE);
  EXPECT_TRUE(credentials->Verifies());
  const std::string priorities = TlsPriorities(c.tls);
  EXPECT_NE(priorities.find("+VERS-TLS1.3:+VERS-TLS1.2"), std::string::npos);
  EXPECT_NE(priorities.find("+GROUP-X25519:+GROUP-SECP256R1"),
            std::string::npos);
  EXPECT_NE(priorities.find("%SERVER_PRECEDENCE"), std::string::npos);
}

TEST(WebConfigTest, AnEmptyFileIsPlainHttpWithoutAuth) {
  const WebConfig c = Parse("");
  EXPECT_FALSE(c.tls.enabled);
  EXPECT_TRUE(c.users.empty());
}

TEST(WebConfigTest, MistakesAreErrorsNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tls_server_config:\n  cert_fil: x\n",
       "tls_server_config.cert_fil: unknown key"},
      {"basic_auth_user:\n  a: b\n", "basic_auth_user: unknown key"},
      {"tls_server_config:\n  cert_file: server.crt\n", "key_file: missing"},
      {"tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n",
       "tls_server_config.cert_file: " + kTls + "/nope.crt"},
      {"tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n",
       "is not the key of the certificate"},
      {"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
       "  client_auth_type: Sometimes\n",
       "client_auth_type: \"Sometimes\" is not one of"},
      {"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
       "  client_ca_file: ca.crt\n",
       "client CAs are configured without a client auth policy"},
      {"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
       "  min_version: TLS14\n",
       "min_version: \"TLS14\" is not one of"},
      {"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
       "  min_version: TLS13\n  max_version: TLS12\n",
       "is above max_version"},
      {"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
       "  cipher_suites: [TLS_FANCY]\n",
       "unknown cipher \"TLS_FANCY\""},
      {"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
       "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "
       "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA]\n",
       "without also allowing TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
      {"tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
       "  curve_preferences: [CurveP224]\n",
       "unknown curve"},
      {"http_server_config:\n  headers:\n    X-Powered-By: me\n",
       "headers.X-Powered-By: this header cannot be configured"},
      {"http_server_config:\n  headers:\n    X-Frame-Options: allow\n",
       "X-Frame-Options: \"allow\" is not an allowed value"},
      {"rate_limit:\n  interval: soon\n", "rate_limit.interval"},
      {"tls_server_config: [1, 2]\n", "tls_server_config: expected a mapping"},
      {"basic_auth_users:\n  a: x\n  a: y\n",
       "basic_auth_users.a: given twice"},
      {"a: [unclosed\n", "not valid YAML"},
      // Regression: the second document was ignored.
      {"rate_limit:\n  burst: 1\n---\nbasic_auth_users:\n  a: x\n",
       "more than one YAML document"},
      {"a: 1\n---\n", "more than one YAML document"},
      // Regression: yaml-cpp's LoadAll made empty documents from this until
      // memory ran out (the fuzzer).
      {",a:\n", "not valid YAML: line 1, column 1"},
      {",\x18ihers:\n  \xc6\xf5\xdf\xd6\n", "not valid YAML"},
  };
  for (const auto& [yaml, message] : cases) {
    const std::string error = ErrorOf(yaml);
    EXPECT_NE(error.find(message), std::string::npos)
        << yaml << "\nwanted: " << message << "\ngot: " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
  }
}

TEST(WebConfigTest, ExactlyHonourableCipherListsPass) {
  TlsServerConfig tls;
  tls.cipher_suites = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                       "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                       "TLS_AES_128_GCM_SHA256"};
  const std::string p = TlsPriorities(tls);
  EXPECT_NE(p.find(":-KX-ALL:-CIPHER-ALL:-MAC-ALL:+ECDHE-RSA:+AES-128-GCM:"
                   "+AES-256-GCM:+AEAD"),
            std::string::npos)
      << p;
}

}  // namespace
}  // namespace tcpstated
