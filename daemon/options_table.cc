// Every setting of `run` and `report`: the keys of the config file and the
// flags, with their types, ranges and help, declared once.
#include "option_builders.h"
#include "tcpstated/host/sysctls.h"
#include "tcpstated/web/access_list.h"
#include "tcpstated/web/listen_address.h"

namespace tcpstated {
namespace {

using std::chrono::milliseconds;
constexpr Scope kBoth = Scope::kBoth;
constexpr Scope kRun = Scope::kRun;

OptionSpec PortRangeOption() {
  OptionSpec spec{"collect.local-port-range",
                  ValueKind::kString,
                  kBoth,
                  "Ephemeral port range \"LOW HIGH\" that tells client ports "
                  "from service ports; \"\": net.ipv4.ip_local_port_range of "
                  "the namespace (32768 60999 for a replayed dump)",
                  0,
                  0,
                  {},
                  {},
                  {}};
  spec.set = [](Config& c, const Value& v) {
    const std::string& text = std::get<std::string>(v);
    c.counting.ephemeral_range.reset();
    if (text.empty()) return;
    c.counting.ephemeral_range = ParsePortRange(text);
    if (!c.counting.ephemeral_range) {
      throw ConfigProblem(
          "expected \"LOW HIGH\" with LOW <= HIGH <= 65535, "
          "got \"" +
          text + "\"");
    }
  };
  spec.show = [](const Config& c) {
    const auto& r = c.counting.ephemeral_range;
    return Quoted(r ? std::to_string(r->low) + " " + std::to_string(r->high)
                    : "");
  };
  return spec;
}

// What only a setting can check, after its type: each entry parses.
template <typename Check>
OptionSpec Checked(OptionSpec spec, Check check) {
  spec.set = [set = spec.set, check](Config& c, const Value& v) {
    for (const std::string& item : std::get<std::vector<std::string>>(v)) {
      try {
        check(item);
      } catch (const std::invalid_argument& error) {
        throw ConfigProblem(error.what());
      }
    }
    set(c, v);
  };
  return spec;
}

void AddCollectOptions(std::vector<OptionSpec>& all) {
  all.push_back(DurationOption(
      "collect.interval", kRun,
      "Time between collections; scrapes never trigger one", milliseconds(100),
      [](Config & c) -> auto& { return c.collect_interval; }));
  all.push_back(StringOption(
      "collect.netns", kBoth,
      "Network namespace to watch: a name under /run/netns or a path such "
      "as /proc/PID/ns/net; \"\": the daemon's own; \"all\": every "
      "namespace of the host, labelled netns",
      [](Config & c) -> auto& { return c.netns; }));
  all.push_back(StringOption(
      "collect.replay-dump", kBoth,
      "Count a recorded dump (a regular file, from `report --record-dump` "
      "or `ss -t -a -D`) instead of the kernel's sockets",
      [](Config & c) -> auto& { return c.replay_dump; }));
  all.push_back(PortRangeOption());
  all.push_back(CountOption(
      "ports.max", kBoth,
      "Busiest ports kept per direction; the rest are summed as "
      "port=\"other\"",
      1, 65536, [](Config & c) -> auto& { return c.counting.max_ports; }));
  all.push_back(CountOption(
      "units.max", kBoth,
      "Busiest owners (units, containers, cgroups) kept; the rest are "
      "summed as unit=\"other\"",
      1, 10000, [](Config & c) -> auto& { return c.counting.max_owners; }));
  all.push_back(CountOption(
      "netns.max", kBoth,
      "With collect.netns = all: namespaces exported one by one, busiest "
      "first; the rest are summed as netns=\"other\"",
      1, 100000, [](Config & c) -> auto& { return c.max_netns; }));
  const auto dirs = [&](const char* key, const char* help, auto field) {
    all.push_back(Checked(
        ListOption(key, kBoth, help, field), [](const std::string& dir) {
          if (!dir.empty() && !dir.starts_with('/')) {
            throw std::invalid_argument("not an absolute path: " + dir);
          }
        }));
  };
  dirs(
      "containers.containerd-state",
      "containerd's task state (NAMESPACE/ID/config.json: the names the "
      "CRI plugin gives pods); [\"\"] reads none",
      [](Config & c) -> auto& { return c.runtime_dirs.containerd; });
  dirs(
      "containers.crio-state",
      "CRI-O's container state (ID/userdata/config.json); [\"\"] reads none",
      [](Config & c) -> auto& { return c.runtime_dirs.crio; });
  dirs(
      "containers.docker-state",
      "Docker's containers (ID/config.v2.json: name and image); [\"\"] "
      "reads none",
      [](Config & c) -> auto& { return c.runtime_dirs.docker; });
  dirs(
      "containers.podman-state",
      "Podman's container store (containers.json: name and image); [\"\"] "
      "reads none",
      [](Config & c) -> auto& { return c.runtime_dirs.podman; });
}

void AddFindingOptions(std::vector<OptionSpec>& all) {
  all.push_back(DurationOption(
      "findings.for", kBoth,
      "How long a condition must hold before the daemon reports it (the "
      "report, with one look, judges at once)",
      milliseconds(0), [](Config & c) -> auto& { return c.rules.hold; }));
  all.push_back(CountOption(
      "pileup.min-sockets", kBoth,
      "CLOSE_WAIT or SYN_SENT sockets of one port that make a finding", 1,
      100'000'000, [](Config & c) -> auto& { return c.rules.min_sockets; }));
  all.push_back(CountOption(
      "pileup.closing.min-sockets", kBoth,
      "FIN_WAIT1, FIN_WAIT2, LAST_ACK or CLOSING sockets of one port that "
      "make a finding",
      1, 100'000'000,
      [](Config & c) -> auto& { return c.rules.closing_min_sockets; }));
  all.push_back(CountOption(
      "stall.min-sockets", kBoth,
      "Stalled connections of one port and kind (unread, peer not reading, "
      "unacknowledged) that make a finding",
      1, 100'000'000,
      [](Config & c) -> auto& { return c.rules.stall_min_sockets; }));
  all.push_back(NumberOption(
      "ephemeral-ports.min-share", kBoth,
      "Sockets toward one destination, as a share of the ephemeral port "
      "range, that make a finding (connect() fails at 1)",
      ValueKind::kFraction, 0,
      [](Config & c) -> auto& { return c.rules.port_min_share; }));
  all.push_back(NumberOption(
      "time-wait.min-share", kBoth,
      "TIME_WAIT sockets of one listening port, as a share of "
      "net.ipv4.tcp_max_tw_buckets, that make a finding ...",
      ValueKind::kFraction, 0,
      [](Config & c) -> auto& { return c.rules.time_wait_min_share; }));
  all.push_back(NumberOption(
      "time-wait.min-per-established", kBoth,
      "... when they are at least this many per ESTABLISHED socket of the "
      "port (connections that live 60 s / this or less)",
      ValueKind::kNumber, 1,
      [](Config & c) -> auto& { return c.rules.time_wait_per_established; }));
  all.push_back(DurationOption(
      "leak.close-wait-age", kBoth,
      "CLOSE_WAIT sockets older than this are counted in "
      "tcpstate_close_wait_old_sockets",
      milliseconds(1000),
      [](Config & c) -> auto& { return c.leak.old_after; }));
  all.push_back(CountOption(
      "leak.max-tracked", kRun,
      "CLOSE_WAIT sockets followed at most; the rest are counted in "
      "tcpstate_close_wait_untracked",
      1, 10'000'000, [](Config & c) -> auto& { return c.leak.max_tracked; }));
}

void AddWebOptions(std::vector<OptionSpec>& all) {
  all.push_back(
      Checked(ListOption(
                  "web.listen-address", kRun,
                  "Addresses to serve metrics on, [HOST]:PORT: :PORT is IPv6 "
                  "and IPv4, [::]:PORT IPv6 only",
                  [](Config & c) -> auto& { return c.web.listen_addresses; }),
              [](const std::string& address) { ParseListenAddress(address); }));
  OptionSpec systemd{"web.systemd-socket",
                     ValueKind::kBool,
                     kRun,
                     "Serve on the sockets systemd passes (tcpstated.socket) "
                     "instead of web.listen-address",
                     0,
                     0,
                     {},
                     {},
                     {}};
  systemd.set = [](Config& c, const Value& v) {
    c.web_systemd_socket = std::get<bool>(v);
  };
  systemd.show = [](const Config& c) {
    return std::string(c.web_systemd_socket ? "true" : "false");
  };
  all.push_back(std::move(systemd));
  all.push_back(StringOption(
      "web.config.file", kRun,
      "exporter-toolkit web config file (TLS, basic auth, headers, "
      "rate_limit), as node_exporter takes it; \"\": plain HTTP",
      [](Config & c) -> auto& { return c.web.web_config_file; }));
  all.push_back(StringOption(
      "web.telemetry-path", kRun, "Path under which to expose metrics",
      [](Config & c) -> auto& { return c.web.telemetry_path; }));
  all.push_back(
      Checked(ListOption(
                  "web.allow", kRun,
                  "Client networks allowed to connect (CIDRs); []: everyone",
                  [](Config & c) -> auto& { return c.web.allow; }),
              [](const std::string& cidr) { AccessList::Parse({cidr}); }));
  all.push_back(CountOption(
      "web.max-connections", kRun,
      "Connections open at once per listening address", 1, 4096,
      [](Config & c) -> auto& { return c.web.max_connections; }));
  all.push_back(CountOption(
      "web.max-connections-per-client", kRun,
      "Connections open at once from one client address", 1, 4096,
      [](Config & c) -> auto& { return c.web.max_connections_per_client; }));
  all.push_back(CountOption(
      "web.threads", kRun, "Threads serving each listening address", 1, 16,
      [](Config & c) -> auto& { return c.web.threads; }));
  all.push_back(DurationOption(
      "web.timeout", kRun, "A connection idle this long is closed",
      milliseconds(1000), [](Config & c) -> auto& { return c.web.timeout; }));
  all.push_back(StringOption("log.level", kRun, "debug, info, warn or error",
                             [](Config & c) -> auto& { return c.log_level; },
                             ValueKind::kChoice,
                             {"debug", "info", "warn", "error"}));
  all.push_back(StringOption(
      "log.target", kRun,
      "Where logs go: auto (journald when started by systemd, else "
      "stderr), stderr or journal; read at start only",
      [](Config & c) -> auto& { return c.log_target; }, ValueKind::kChoice,
      {"auto", "stderr", "journal"}));
}

}  // namespace

const std::vector<OptionSpec>& AllOptions() {
  static const std::vector<OptionSpec> all = [] {
    std::vector<OptionSpec> specs;
    AddCollectOptions(specs);
    AddFindingOptions(specs);
    AddWebOptions(specs);
    return specs;
  }();
  return all;
}

const OptionSpec* FindOption(std::string_view key) {
  for (const OptionSpec& spec : AllOptions()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

}  // namespace tcpstated
