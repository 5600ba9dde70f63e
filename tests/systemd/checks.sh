# The checks of systemd_test.sh, run against the booted container with the
# helpers of container_helpers.sh (`inside`, `scrape`, `journal`, ...).
# Sourced, not run.

check_install() {
  step "dpkg -i: enabled, started, READY=1 with the daemon's status"
  # Before the install, as an admin may: a denied syscall kills the daemon
  # (SIGSYS) instead of failing with EPERM, so none goes unnoticed.
  # TCPSTATED_SYSTEMD_TEST_DENY=NAME also denies NAME: the test must then
  # fail, naming it (how this check was shown to work).
  dropin 50-test-syscalls <<EOF
SystemCallErrorNumber=kill
${TCPSTATED_SYSTEMD_TEST_DENY:+SystemCallFilter=~$TCPSTATED_SYSTEMD_TEST_DENY}
EOF
  inside dpkg -i "/debs/$(basename "$deb")" >"$work/dpkg.log" 2>&1 ||
    { cat "$work/dpkg.log"; fail "dpkg -i"; }
  [ "$(inside systemctl is-enabled tcpstated)" = enabled ] || fail "not enabled"
  [ "$(prop ActiveState)" = active ] || fail "not active after dpkg -i"
  [ "$(prop StatusText)" = "serving metrics" ] || fail "status: $(prop StatusText)"
  # Type=notify: `systemctl restart` returns once READY=1 came, which the
  # daemon sends after its first snapshot: it is there at once.
  inside systemctl restart tcpstated
  [ "$(prop ActiveState)" = active ] || fail "restart returned before active"
  [ "$(value tcpstate_collect_success)" = 1 ] ||
    fail "restart returned before the first snapshot was served"
  [ "$(prop StatusText)" = "serving metrics" ] || fail "status after restart"
}

check_sandbox() {
  step "dynamic user, no capabilities, no new privileges, seccomp"
  local pid status
  pid=$(prop MainPID)
  status=$(inside cat "/proc/$pid/status")
  grep -qP '^Uid:\t(6[1-5][0-9]{3})\t' <<<"$status" ||
    fail "not a dynamic user: $(grep ^Uid <<<"$status")"
  grep -qP '^CapEff:\t0{16}$' <<<"$status" || fail "$(grep ^CapEff <<<"$status")"
  grep -qP '^NoNewPrivs:\t1$' <<<"$status" || fail "NoNewPrivs"
  grep -qP '^Seccomp:\t2$' <<<"$status" || fail "no seccomp filter"
}

check_reload_and_counts() {
  step "reload: a shorter interval takes effect; exact counts of sockets made here"
  set_conf collect.interval '"500ms"'
  set_conf pileup.min-sockets 5
  set_conf findings.for '"0s"'
  local before
  before=$(collections)
  inside systemctl reload tcpstated
  # At the shipped 15 s, three more would take 45 s.
  wait_for 5 collections_rise_by $((${before%.*} + 3)) || fail "interval not reloaded"
  hold_sockets plain /share/tcpstated-sockets listen:v4:7000:128 \
    established:v4:7000:7 close-wait-kept:v4:7000:5
  local cw='tcpstate_port_sockets{direction="inbound",port="7000",state="close_wait"}'
  local est='tcpstate_port_sockets{direction="inbound",port="7000",state="established"}'
  local listen='tcpstate_port_sockets{direction="inbound",port="7000",state="listen"}'
  wait_for 5 series_is "$cw" 5 || fail "close_wait: $(value "$cw")"
  [ "$(value "$est")" = 7 ] || fail "established: $(value "$est")"
  [ "$(value "$listen")" = 1 ] || fail "listen: $(value "$listen")"
  # The finding and its tracing to processes run under the filter too.
  wait_for 5 journal_has 'finding: CLOSE_WAIT pileup: inbound port 7000 (5 sockets' ||
    fail "no finding line: $(journal | tail -5)"
  check_no_denied_syscall "collection, scrape, reload, finding tracing"
}

check_bad_reload_and_journal() {
  step "a bad config on reload keeps the old one; journal priorities"
  set_conf collect.interval '"banana"'
  inside systemctl reload tcpstated
  wait_for 5 journal_has 'reload failed, keeping the running configuration' ||
    fail "no reload error in the journal"
  local before
  before=$(collections)
  wait_for 5 collections_rise_by $((${before%.*} + 3)) || fail "stopped collecting"
  [ "$(prop ActiveState)" = active ] || fail "not active after a bad reload"
  set_conf collect.interval '"500ms"'
  # spdlog's levels arrive as syslog priorities: error 3, warning 4, info 6.
  local json
  json=$(journal -o json)
  for pair in '3:reload failed' '4:finding: ' '6:configuration reloaded'; do
    grep -F "\"MESSAGE\":\"${pair#*:}" <<<"$json" | grep >/dev/null "\"PRIORITY\":\"${pair%%:*}\"" ||
      fail "no priority ${pair%%:*} line starting \"${pair#*:}\""
  done
}

check_replay() {
  step "collect.replay-dump: a recorded dump served under the sandbox"
  # The daemon's other input path (open, check, read a regular file) runs
  # under the same filter; the fixture's golden counts must come out.
  inside cp /share/replay.dump /etc/tcpstated/replay.dump
  set_conf collect.replay-dump '"/etc/tcpstated/replay.dump"'
  inside systemctl restart tcpstated || { journal | tail -5; fail "restart with replay"; }
  local est='tcpstate_sockets{family="ipv4",state="established"}'
  local cw='tcpstate_sockets{family="ipv6",state="close_wait"}'
  [ "$(value "$est")" = 10 ] || fail "replayed established: '$(value "$est")'"
  [ "$(value "$cw")" = 2 ] || fail "replayed close_wait: '$(value "$cw")'"
  check_no_denied_syscall "replay"
  inside sed -i '/^collect.replay-dump = /d' /etc/tcpstated/tcpstated.conf
  inside rm /etc/tcpstated/replay.dump
  inside systemctl restart tcpstated
}

check_tls_recipe() {
  step "the README's LoadCredential TLS and basic-auth recipe"
  inside install -d -m 700 /etc/tcpstated/web
  inside cp /share/server.crt /share/server.key /etc/tcpstated/web/
  inside sh -c 'chmod 600 /etc/tcpstated/web/*'
  printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prometheus: %s\n' \
    "$(cat "$share/hash")" | inside tee /etc/tcpstated/web/web-config.yml >/dev/null
  dropin credentials <<'EOF'
LoadCredential=web-config.yml:/etc/tcpstated/web/web-config.yml
LoadCredential=server.crt:/etc/tcpstated/web/server.crt
LoadCredential=server.key:/etc/tcpstated/web/server.key
EOF
  set_conf web.config.file '"/run/credentials/tcpstated.service/web-config.yml"'
  inside systemctl restart tcpstated || { journal | tail -5; fail "restart with TLS"; }
  local https='https://localhost:10039/metrics'
  inside curl -sf --cacert /share/server.crt -u 'prometheus:the password' "$https" |
    grep >/dev/null '^tcpstate_sockets' || fail "no metrics over HTTPS with the password"
  [ "$(inside curl -s -o /dev/null -w '%{http_code}' --cacert /share/server.crt "$https")" = 401 ] ||
    fail "HTTPS without a password was not 401"
  # Back to plain HTTP for the rest.
  inside sed -i '/^web.config.file = /d' /etc/tcpstated/tcpstated.conf
  inside systemctl restart tcpstated
}

check_socket_activation() {
  step "socket activation: the example tcpstated.socket, as its comment says"
  inside cp /usr/share/doc/tcpstated/examples/tcpstated.socket /etc/systemd/system/
  dropin 70-socket <<'EOF'
ExecStart=
ExecStart=/usr/bin/tcpstated run --config.file /etc/tcpstated/tcpstated.conf --web.systemd-socket
EOF
  inside systemctl stop tcpstated
  inside systemctl enable --now tcpstated.socket >/dev/null 2>&1 ||
    fail "tcpstated.socket did not start"
  [ "$(prop ActiveState)" = inactive ] || fail "the service started before a client came"
  # The first connection starts the service, which answers it: with the
  # collection's health only, as any scrape before the first collection.
  scrape >/dev/null || fail "the scrape that starts the service got no answer"
  # That scrape may come before the first collection, and READY=1 after it:
  # the service is active once that collection is done.
  wait_for 10 prop_is ActiveState active ||
    fail "not active after the first scrape: $(prop ActiveState)"
  wait_for 5 series_is tcpstate_collect_success 1 || fail "no collection"
  scrape | grep >/dev/null '^tcpstate_sockets{' || fail "no counts on the passed socket"
  # One socket for IPv6 and IPv4 (BindIPv6Only=both).
  inside curl -sfg --max-time 5 'http://[::1]:10039/-/ready' >/dev/null ||
    fail "no answer over IPv6 on the passed socket"
  check_no_denied_syscall "socket activation"
  inside systemctl disable --now tcpstated.socket >/dev/null 2>&1
  inside rm /etc/systemd/system/tcpstated.socket \
    /etc/systemd/system/tcpstated.service.d/70-socket.conf
  inside systemctl daemon-reload
  inside systemctl restart tcpstated
}

check_watchdog() {
  step "watchdog: a hung daemon is restarted"
  dropin 60-test-watchdog <<<"WatchdogSec=1s"
  inside systemctl restart tcpstated
  local restarts pid
  restarts=$(prop NRestarts)
  pid=$(prop MainPID)
  inside kill -STOP "$pid"
  wait_for 15 prop_above NRestarts "$restarts" || fail "no restart after SIGSTOP"
  journal_has 'Watchdog timeout' || fail "no 'Watchdog timeout' in the journal"
  wait_for 15 prop_is ActiveState active || fail "not back after the watchdog"
}

check_all_namespaces() {
  step "the all-namespaces drop-in: a leak in another namespace, a long sweep"
  inside cp /usr/share/tcpstated/tcpstated-all-namespaces.conf \
    /etc/systemd/system/tcpstated.service.d/all-namespaces.conf
  inside systemctl daemon-reload
  inside ip netns add leak
  inside ip -n leak link set lo up
  hold_sockets leak ip netns exec leak /share/tcpstated-sockets \
    listen:v4:7100:128 close-wait-kept:v4:7100:6
  # Namespaces that each cost a dump, their sockets held by one process
  # for as long as the test runs (TIME_WAIT ones would expire after 60 s,
  # and on a busy host making 700 namespaces takes longer): the sweep takes
  # longer than the watchdog's 1 s.
  inside sh -c 'for i in $(seq 700); do ip netns add w$i && ip -n w$i link set lo up ||
    exit 1; done' || fail "could not make the namespaces"
  local specs=()
  for i in $(seq 700); do
    specs+=(--netns "/run/netns/w$i" listen:v4:7200:4 established:v4:7200:1)
  done
  hold_sockets wide /share/tcpstated-sockets "${specs[@]}"
  inside systemctl restart tcpstated
  local cw='tcpstate_port_sockets{netns="leak",direction="inbound",port="7100",state="close_wait"}'
  wait_for 20 series_is "$cw" 6 || fail "leak in netns leak: '$(value "$cw")'"
  wait_for 10 journal_has 'finding: CLOSE_WAIT pileup: inbound port 7100 in netns leak (6 sockets.*tcpstated-socke\[' ||
    fail "the leak's process is not named: $(journal | grep 'port 7100' | tail -2)"
  local restarts sweep before
  restarts=$(prop NRestarts)
  before=$(collections)
  # Two whole sweeps; on a busy host (a dump of one namespace walks the
  # host's whole TCP table) one can take tens of seconds.
  wait_for 120 collections_rise_by $((${before%.*} + 2)) || fail "sweeps stalled"
  sweep=$(value tcpstate_collect_duration_seconds)
  awk -v s="$sweep" 'BEGIN { exit !(s > 1.0) }' ||
    fail "the sweep took ${sweep} s, not longer than the 1 s watchdog: no test"
  [ "$(prop NRestarts)" = "$restarts" ] || fail "the watchdog fired during a progressing sweep"
  echo "sweep of $(inside ip netns list | wc -l) namespaces: ${sweep} s, no restart"
  check_no_denied_syscall "sweeps of every namespace, tracing in another namespace"
}

check_events() {
  step "the events drop-in: churn counted under the unit's sandbox"
  # The 700 namespaces of the sweep above go: sweeps are short again.
  inside sh -c 'for i in $(seq 700); do ip netns del w$i || exit 1; done' ||
    fail "could not delete the sweep's namespaces"
  inside cp /usr/share/tcpstated/tcpstated-events.conf \
    /etc/systemd/system/tcpstated.service.d/events.conf
  set_conf collect.events '"bpf"'
  inside systemctl daemon-reload
  inside systemctl restart tcpstated
  wait_for 20 series_is 'tcpstate_events_enabled{reason=""}' 1 ||
    fail "events not enabled: $(scrape | grep '^tcpstate_events_enabled'); $(journal | grep collect.events | tail -1)"
  local ambient
  ambient=$(prop AmbientCapabilities)
  grep -qw cap_bpf <<<"$ambient" && grep -qw cap_perfmon <<<"$ambient" ||
    fail "ambient capabilities: $ambient"
  inside ip netns add churn
  inside ip -n churn link set lo up
  # 40 connections on port 7300, each closed by its client first.
  hold_sockets churn ip netns exec churn /share/tcpstated-sockets \
    listen:v4:7300:64 time-wait:v4:7300:40
  local there='tcpstate_port_closes_total{netns="churn",direction="inbound",port="7300",closer="there"}'
  local here='tcpstate_port_closes_total{netns="churn",direction="outbound",port="7300",closer="here"}'
  wait_for 60 series_is "$there" 40 || fail "inbound closes by the peer: '$(value "$there")'"
  series_is "$here" 40 || fail "outbound closes here: '$(value "$here")'"
  journal_has 'collect.events = bpf: counting connection churn per port' ||
    fail "no log line for the event source"
  check_no_denied_syscall "loading the eBPF program and reading its maps"
}

check_stop_and_purge() {
  step "stop within 2 s; purge leaves nothing"
  local t0 t1 took
  t0=$(date +%s.%N)
  inside systemctl stop tcpstated
  t1=$(date +%s.%N)
  took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  awk -v s="$took" 'BEGIN { exit !(s <= 2.0) }' || fail "stop took $took s"
  echo "systemctl stop: $took s"
  inside rm -rf /etc/systemd/system/tcpstated.service.d /etc/tcpstated/web  # the admin's
  inside dpkg --purge tcpstated >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge"; }
  local left
  left=$(inside sh -c 'ls -d /etc/tcpstated /usr/share/tcpstated /usr/bin/tcpstated \
    /usr/libexec/tcpstated \
    /lib/systemd/system/tcpstated.service /etc/systemd/system/*/tcpstated.service \
    /var/lib/tcpstated /var/lib/private/tcpstated /run/tcpstated \
    /var/lib/systemd/deb-systemd-helper-enabled/*tcpstated* \
    /var/lib/systemd/deb-systemd-helper-masked/*tcpstated* 2>/dev/null' || true)
  [ -z "$left" ] || fail "left after purge: $left"
  inside getent passwd tcpstated >/dev/null && fail "a tcpstated user is left"
  [ "$(prop LoadState)" = not-found ] || fail "unit still loaded: $(prop LoadState)"
}

run_checks() {
  check_install
  check_sandbox
  check_reload_and_counts
  check_bad_reload_and_journal
  check_replay
  check_tls_recipe
  check_socket_activation
  check_watchdog
  check_all_namespaces
  check_events
  check_stop_and_purge
}
