// Every setting of `run` and `report`: the keys of the config file and the
// flags, with their types, ranges and help, declared once.
#include "option_builders.h"
#include "tcpstated/host/sysctls.h"
#include "tcpstated/web/access_list.h"
#include "tcpstated/web/listen_address.h"

namespace tcpstated {
namespace {

constexpr Scope kBoth = Scope::kBoth;
constexpr Scope kRun = Scope::kRun;
constexpr auto kString = ValueKind::kString;
constexpr auto kCount = ValueKind::kCount;
constexpr auto kDuration = ValueKind::kDuration;
constexpr auto kChoice = ValueKind::kChoice;
constexpr auto kList = ValueKind::kList;
constexpr std::uint64_t kMany = 100'000'000;
constexpr std::uint64_t kMs = 1, kSecond = 1000;

OptionSpec PortRangeOption() {
  OptionSpec spec{"collect.local-port-range",
                  kString,
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

// A list whose every entry must pass `check` (which throws
// std::invalid_argument saying why not).
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

void AbsoluteDirectory(const std::string& dir) {
  if (!dir.empty() && !dir.starts_with('/')) {
    throw std::invalid_argument("not an absolute path: " + dir);
  }
}

#define FIELD(member) \
  [](Config & c) -> auto& { return c.member; }

void AddCollectOptions(std::vector<OptionSpec>& all) {
  all.push_back(Setting("collect.interval", kDuration, kRun,
                        "Time between collections; scrapes never trigger one",
                        FIELD(collect_interval), 100 * kMs));
  all.push_back(Setting(
      "collect.netns", kString, kBoth,
      "Network namespace to watch: a name under /run/netns or a path such "
      "as /proc/PID/ns/net; \"\": the daemon's own; \"all\": every "
      "namespace of the host, labelled netns",
      FIELD(netns)));
  all.push_back(Setting(
      "collect.replay-dump", kString, kBoth,
      "Count a recorded dump (a regular file, from `report --record-dump` "
      "or `ss -t -a -D`) instead of the kernel's sockets",
      FIELD(replay_dump)));
  all.push_back(PortRangeOption());
  all.push_back(Setting("ports.max", kCount, kBoth,
                        "Busiest ports kept per direction; the rest are "
                        "summed as port=\"other\"",
                        FIELD(counting.max_ports), 1, 65536));
  all.push_back(Setting("units.max", kCount, kBoth,
                        "Busiest owners (units, containers, cgroups) kept; "
                        "the rest are summed as unit=\"other\"",
                        FIELD(counting.max_owners), 1, 10000));
  all.push_back(Setting("netns.max", kCount, kBoth,
                        "With collect.netns = all: namespaces exported one by "
                        "one, busiest first; the rest are summed as "
                        "netns=\"other\"",
                        FIELD(max_netns), 1, 100000));
  all.push_back(Setting(
      "collect.max-series", kCount, kRun,
      "Series one scrape may hold at most: beyond it the quietest "
      "namespaces, then ports, then owners are summed into their \"other\" "
      "rows (totals stay exact; tcpstate_series_folded counts what was "
      "left out)",
      FIELD(max_series), 1000, 10'000'000));
  const auto dirs = [&](const char* key, const char* help, auto field) {
    all.push_back(
        Checked(Setting(key, kList, kBoth, help, field), AbsoluteDirectory));
  };
  dirs("containers.containerd-state",
       "containerd's task state (NAMESPACE/ID/config.json: the names the "
       "CRI plugin gives pods); [\"\"] reads none",
       FIELD(runtime_dirs.containerd));
  dirs("containers.crio-state",
       "CRI-O's container state (ID/userdata/config.json); [\"\"] reads none",
       FIELD(runtime_dirs.crio));
  dirs("containers.docker-state",
       "Docker's containers (ID/config.v2.json: name and image); [\"\"] "
       "reads none",
       FIELD(runtime_dirs.docker));
  dirs("containers.podman-state",
       "Podman's container store (containers.json: name and image); [\"\"] "
       "reads none",
       FIELD(runtime_dirs.podman));
}

void AddFindingOptions(std::vector<OptionSpec>& all) {
  all.push_back(Setting("findings.for", kDuration, kBoth,
                        "How long a condition must hold before the daemon "
                        "reports it (the report judges at once)",
                        FIELD(rules.hold)));
  all.push_back(Setting("pileup.min-sockets", kCount, kBoth,
                        "CLOSE_WAIT or SYN_SENT sockets of one port that make "
                        "a finding",
                        FIELD(rules.min_sockets), 1, kMany));
  all.push_back(Setting("pileup.closing.min-sockets", kCount, kBoth,
                        "FIN_WAIT1, FIN_WAIT2, LAST_ACK or CLOSING sockets of "
                        "one port that make a finding",
                        FIELD(rules.closing_min_sockets), 1, kMany));
  all.push_back(Setting("stall.min-sockets", kCount, kBoth,
                        "Stalled connections of one port and kind (unread, "
                        "peer not reading, unacknowledged) that make a "
                        "finding",
                        FIELD(rules.stall_min_sockets), 1, kMany));
  all.push_back(Setting("ephemeral-ports.min-share", ValueKind::kFraction,
                        kBoth,
                        "Sockets toward one destination, as a share of the "
                        "ephemeral port range, that make a finding",
                        FIELD(rules.port_min_share)));
  all.push_back(Setting("time-wait.min-share", ValueKind::kFraction, kBoth,
                        "TIME_WAIT sockets of one listening port, as a share "
                        "of net.ipv4.tcp_max_tw_buckets, that make a finding "
                        "...",
                        FIELD(rules.time_wait_min_share)));
  all.push_back(Setting("time-wait.min-per-established", ValueKind::kNumber,
                        kBoth,
                        "... when they are at least this many per ESTABLISHED "
                        "socket of the port (connections that live 60 s / "
                        "this or less)",
                        FIELD(rules.time_wait_per_established), 1));
  all.push_back(Setting("leak.close-wait-age", kDuration, kBoth,
                        "CLOSE_WAIT sockets older than this are counted in "
                        "tcpstate_close_wait_old_sockets",
                        FIELD(leak.old_after), kSecond));
  all.push_back(Setting("leak.max-tracked", kCount, kRun,
                        "CLOSE_WAIT sockets followed at most; the rest are "
                        "counted in tcpstate_close_wait_untracked",
                        FIELD(leak.max_tracked), 1, 10'000'000));
}

void AddWebOptions(std::vector<OptionSpec>& all) {
  all.push_back(Checked(
      Setting("web.listen-address", kList, kRun,
              "Addresses to serve metrics on, [HOST]:PORT: :PORT is IPv6 and "
              "IPv4, [::]:PORT IPv6 only",
              FIELD(web.listen_addresses)),
      [](const std::string& address) { ParseListenAddress(address); }));
  all.push_back(Setting("web.systemd-socket", ValueKind::kBool, kRun,
                        "Serve on the sockets systemd passes "
                        "(tcpstated.socket) instead of web.listen-address",
                        FIELD(web_systemd_socket)));
  all.push_back(Setting("web.config.file", kString, kRun,
                        "exporter-toolkit web config file (TLS, basic auth, "
                        "headers, rate_limit), as node_exporter takes it; "
                        "\"\": plain HTTP",
                        FIELD(web.web_config_file)));
  all.push_back(Setting("web.telemetry-path", kString, kRun,
                        "Path under which to expose metrics",
                        FIELD(web.telemetry_path)));
  all.push_back(Checked(
      Setting("web.allow", kList, kRun,
              "Client networks allowed to connect (CIDRs); []: everyone",
              FIELD(web.allow)),
      [](const std::string& cidr) { AccessList::Parse({cidr}); }));
  all.push_back(Setting(
      "web.max-connections", kCount, kRun,
      "Connections open at once, in all (at most what the open-file limit "
      "leaves); when all are taken, one without a whole request gives way",
      FIELD(web.max_connections), 1, 4096));
  all.push_back(Setting("web.max-connections-per-client", kCount, kRun,
                        "Connections open at once from one client address (an "
                        "IPv6 client: its /64)",
                        FIELD(web.max_connections_per_client), 1, 4096));
  all.push_back(Setting("web.threads", kCount, kRun,
                        "Threads serving the connections (epoll: a slow client "
                        "holds a connection, not a thread)",
                        FIELD(web.threads), 1, 16));
  all.push_back(Setting("web.timeout", kDuration, kRun,
                        "A connection idle this long is closed",
                        FIELD(web.timeout), kSecond));
  all.push_back(Setting("log.level", kChoice, kRun,
                        "debug, info, warn or error", FIELD(log_level), 0, 0,
                        {"debug", "info", "warn", "error"}));
  all.push_back(Setting("log.target", kChoice, kRun,
                        "Where logs go: auto (journald when started by "
                        "systemd, else stderr), stderr or journal; read at "
                        "start only",
                        FIELD(log_target), 0, 0,
                        {"auto", "stderr", "journal"}));
}

// `report`'s own flags: how it prints, what it records.
void AddReportFlags(std::vector<OptionSpec>& all) {
  constexpr Scope kReport = Scope::kReport;
  all.push_back(Setting("format", kChoice, kReport, "Output format",
                        FIELD(report.format), 0, 0, {"text", "json"}));
  all.push_back(Setting("top", kCount, kReport, "Ports listed per state (text)",
                        FIELD(report.top), 1, 1000));
  OptionSpec record{"record-dump",
                    kString,
                    kReport,
                    "Also write the raw netlink dump to FILE (the format of "
                    "`ss -D FILE`): a new file (mode 0600), a FIFO or a "
                    "device; an existing file is not overwritten",
                    0,
                    0,
                    {},
                    {},
                    {}};
  record.set = [](Config& c, const Value& v) {
    c.report.record_dump = std::get<std::string>(v);
  };
  record.show = [](const Config&) { return Quoted(""); };
  all.push_back(std::move(record));
  all.push_back(Setting("request", kChoice, kReport,
                        "Netlink request: one walk for both families, or one "
                        "SOCK_DIAG_BY_FAMILY request per family",
                        FIELD(report.request), 0, 0,
                        {"legacy-one-walk", "per-family"}));
  all.push_back(Setting("interval", kDuration, kReport,
                        "Read the kernel's TCP counters twice this far apart, "
                        "dump the sockets at the end, and report rates (0s: "
                        "totals since boot only)",
                        FIELD(report.interval)));
  all.push_back(Setting("close-wait-ages", kChoice, kReport,
                        "Age CLOSE_WAIT sockets with a second dump of them "
                        "with tcp_info: auto (when a CLOSE_WAIT finding is "
                        "reported), always, never",
                        FIELD(report.close_wait_ages), 0, 0,
                        {"auto", "always", "never"}));
}

#undef FIELD

}  // namespace

const std::vector<OptionSpec>& AllOptions() {
  static const std::vector<OptionSpec> all = [] {
    std::vector<OptionSpec> specs;
    AddCollectOptions(specs);
    AddEventOptions(specs);
    AddFindingOptions(specs);
    AddWebOptions(specs);
    AddReportFlags(specs);
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
