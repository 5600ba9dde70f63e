#!/usr/bin/env bash
# The .deb from install to purge: builds it with cpack from BUILD_DIR,
# installs it with dpkg, uses what it installed (as root, and as an
# unprivileged user with no capabilities, as the unit runs it), checks the
# unit's verification and exposure score, lintian, the file list, then purges
# it and checks nothing is left.
#
#   package_test.sh BUILD_DIR SOCKETS_BINARY
#
# Needs root; exits 77 (skipped) without it. Refuses to run where tcpstated
# is already installed, since the test purges the package at the end.
set -euo pipefail

build_dir=$(realpath "$1")
sockets_binary=$(realpath "$2")
source_dir=$(realpath "$(dirname "$0")/../..")
max_exposure=2.0
max_exposure_all_namespaces=2.5
# The events drop-in (CAP_BPF, CAP_PERFMON, bpf()): 1.5 when written.
max_exposure_events=1.5

if [ "$(id -u)" -ne 0 ]; then
  echo "package test: needs root (dpkg -i)" >&2
  exit 77
fi
if dpkg-query -W -f='${Status}' tcpstated 2>/dev/null | grep -q installed; then
  echo "package test: tcpstated is already installed here; not touching it" >&2
  exit 1
fi

work=$(mktemp -d)
netns=tcpstated-pkg-$$
holder_pid=
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null || true
  [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null || true
  ip netns del "$netns" 2>/dev/null || true
  dpkg --purge tcpstated >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

echo "== cpack -G DEB"
(cd "$build_dir" && cpack -G DEB -B "$work/cpack" >"$work/cpack.log") ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/cpack/tcpstated_*.deb)
dpkg-deb --info "$deb"
# The eBPF event source's library (the program itself is in the binary).
dpkg-deb -f "$deb" Depends | grep -q 'libbpf1' || fail "the package does not depend on libbpf1"

echo "== lintian"
# Errors fail the test; warnings are printed for the record.
lintian --tag-display-limit 0 "$deb" | tee "$work/lintian.log" || true
if grep -q '^E:' "$work/lintian.log"; then fail "lintian reports errors"; fi

echo "== dpkg -i"
dpkg -i "$deb"
dpkg-query -W -f='${Status}\n' tcpstated | grep -qx 'install ok installed' ||
  fail "not installed"

echo "== installed files"
expected=(
  /usr/bin/tcpstated
  /usr/libexec/tcpstated/tcpstated-daemon
  /etc/tcpstated/tcpstated.conf
  /lib/systemd/system/tcpstated.service
  /usr/share/man/man8/tcpstated.8.gz
  /usr/share/tcpstated/tcpstated-alerts.yml
  /usr/share/tcpstated/tcpstated-dashboard.json
  /usr/share/tcpstated/tcpstated-all-namespaces.conf
  /usr/share/tcpstated/tcpstated-events.conf
  /usr/share/doc/tcpstated/README.md
  /usr/share/doc/tcpstated/CHANGELOG.md
  /usr/share/doc/tcpstated/changelog.gz
  /usr/share/doc/tcpstated/copyright
  /usr/share/doc/tcpstated/examples/tcpstated.socket
)
# The README's docs/, as in the source tree.
for doc in "$source_dir"/docs/*.md; do
  expected+=("/usr/share/doc/tcpstated/docs/$(basename "$doc")")
done
dpkg -L tcpstated | while read -r path; do [ -f "$path" ] && echo "$path"; done |
  sort >"$work/files"
printf '%s\n' "${expected[@]}" | sort >"$work/expected"
diff -u "$work/expected" "$work/files" || fail "installed file list differs"
dpkg-query -W -f='${Conffiles}\n' tcpstated | grep -q '/etc/tcpstated/tcpstated.conf' ||
  fail "the config is not a conffile"
# The postinst enabled the unit even without a running systemd.
[ -L /etc/systemd/system/multi-user.target.wants/tcpstated.service ] ||
  fail "postinst did not enable tcpstated.service"

echo "== commands"
tcpstated --version | grep -q '0\.' || fail "tcpstated --version"
tcpstated check-config /etc/tcpstated/tcpstated.conf || fail "shipped config"
tcpstated report >"$work/report.txt" || fail "tcpstated report"
grep -q 'ESTABLISHED\|established' "$work/report.txt" || fail "report output"
man_text=$(MANWIDTH=80 man --warnings -l /usr/share/man/man8/tcpstated.8.gz 2>"$work/man.err")
[ -s "$work/man.err" ] && { cat "$work/man.err"; fail "man page warnings"; }
grep -q -- '--findings.for' <<<"$man_text" || fail "man page"
man -w tcpstated >/dev/null || fail "man tcpstated does not find the page"

echo "== systemd unit"
systemd-analyze verify /lib/systemd/system/tcpstated.service || fail "verify"
exposure=$(systemd-analyze security --offline=yes \
  /lib/systemd/system/tcpstated.service 2>&1 |
  sed -n 's/.*Overall exposure level for tcpstated.service: \([0-9.]*\).*/\1/p')
echo "exposure: $exposure (at most $max_exposure)"
[ -n "$exposure" ] || fail "no exposure score"
awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }' ||
  fail "exposure $exposure > $max_exposure"

echo "== the all-namespaces drop-in"
dropin_dir=/etc/systemd/system/tcpstated.service.d
mkdir -p "$dropin_dir"
cp /usr/share/tcpstated/tcpstated-all-namespaces.conf "$dropin_dir/all-namespaces.conf"
systemd-analyze verify /lib/systemd/system/tcpstated.service ||
  fail "verify with the drop-in"
exposure=$(systemd-analyze security --offline=yes tcpstated.service 2>&1 |
  sed -n 's/.*Overall exposure level for tcpstated.service: \([0-9.]*\).*/\1/p')
echo "exposure with the drop-in: $exposure (at most $max_exposure_all_namespaces)"
[ -n "$exposure" ] || fail "no exposure score with the drop-in"
awk -v e="$exposure" -v m="$max_exposure_all_namespaces" 'BEGIN { exit !(e <= m) }' ||
  fail "exposure with the drop-in $exposure > $max_exposure_all_namespaces"
# The capabilities it grants, read back from the unit as systemd merges it.
granted=$(sed -n 's/^AmbientCapabilities=//p' "$dropin_dir/all-namespaces.conf")
rm -r "$dropin_dir"

echo "== the events drop-in"
mkdir -p "$dropin_dir"
cp /usr/share/tcpstated/tcpstated-events.conf "$dropin_dir/events.conf"
systemd-analyze verify /lib/systemd/system/tcpstated.service ||
  fail "verify with the events drop-in"
security=$(systemd-analyze security --offline=yes tcpstated.service 2>&1)
exposure=$(sed -n 's/.*Overall exposure level for tcpstated.service: \([0-9.]*\).*/\1/p' <<<"$security")
echo "exposure with the events drop-in: $exposure (at most $max_exposure_events)"
[ -n "$exposure" ] || fail "no exposure score with the events drop-in"
awk -v e="$exposure" -v m="$max_exposure_events" 'BEGIN { exit !(e <= m) }' ||
  fail "exposure with the events drop-in $exposure > $max_exposure_events"
# What it adds and nothing more: CAP_BPF and CAP_PERFMON, bpf() back.
grep -q 'CapabilityBoundingSet=~CAP_SYS_ADMIN' <<<"$security" &&
  ! grep -q '✗ CapabilityBoundingSet=~CAP_SYS_ADMIN' <<<"$security" ||
  fail "the events drop-in grants CAP_SYS_ADMIN"
grep -q '✗ CapabilityBoundingSet=~CAP_BPF' <<<"$security" ||
  fail "the events drop-in does not grant CAP_BPF"
grep -q '@privileged is included (e.g. bpf is allowed)' <<<"$security" ||
  fail "the events drop-in does not allow bpf()"
events_caps=$(sed -n 's/^AmbientCapabilities=//p' "$dropin_dir/events.conf")
[ "$events_caps" = "CAP_BPF CAP_PERFMON" ] || fail "events drop-in grants $events_caps"
rm -r "$dropin_dir"

echo "== as the unit runs it: unprivileged, no capabilities, own user namespace"
ip netns add "$netns"
ip -n "$netns" link set lo up
mkfifo "$work/hold"
ip netns exec "$netns" "$sockets_binary" listen:v4:7000:256 close-wait:v4:7000:120 \
  <"$work/hold" >"$work/sockets.out" 2>&1 &
holder_pid=$!
exec {hold}>"$work/hold"  # the holder keeps its sockets until this closes
for _ in $(seq 100); do grep -q ready "$work/sockets.out" && break; sleep 0.1; done
grep -q ready "$work/sockets.out" || fail "socket holder: $(cat "$work/sockets.out")"

unprivileged=(setpriv --reuid=65534 --regid=65534 --clear-groups
  --inh-caps=-all --bounding-set=-all --no-new-privs unshare --user)
ip netns exec "$netns" "${unprivileged[@]}" tcpstated report --format json \
  >"$work/report.json" || fail "unprivileged report"
python3 - "$work/report.json" <<'PY' || fail "unprivileged report counts"
import json, sys
sockets = json.load(open(sys.argv[1]))["sockets"]
want = {"listen": 1, "close_wait": 120, "fin_wait2": 120}
got = {k: sockets[k] for k in want}
assert got == want, f"got {got}, want {want}"
PY

ip netns exec "$netns" "${unprivileged[@]}" tcpstated run \
  --web.listen-address 127.0.0.1:10039 --collect.interval 1s \
  --log.target stderr 2>"$work/daemon.log" &
daemon_pid=$!
metrics=
for _ in $(seq 100); do
  metrics=$(ip netns exec "$netns" curl -sf http://127.0.0.1:10039/metrics || true)
  grep -q '^tcpstate_collect_success 1' <<<"$metrics" && break
  sleep 0.1
done
grep -q '^tcpstate_collect_success 1' <<<"$metrics" ||
  { cat "$work/daemon.log"; fail "unprivileged daemon did not collect"; }
# By port: the scrapes' own connections to 10039 pass through CLOSE_WAIT
# for a moment and may be in the host-wide total.
grep -q '^tcpstate_port_sockets{direction="inbound",port="7000",state="close_wait"} 120$' \
  <<<"$metrics" || fail "unprivileged daemon: CLOSE_WAIT count on port 7000"
grep -q '^tcpstate_sysctl{name="somaxconn"}' <<<"$metrics" ||
  fail "unprivileged daemon cannot read /proc/sys/net"
kill "$daemon_pid"
wait "$daemon_pid" || true
daemon_pid=

# Every namespace: the base unit may not enter the others and says so; the
# drop-in's capabilities (without the private user namespace) reach the
# leak in "$netns" and the process holding it.
"${unprivileged[@]}" tcpstated report --collect.netns all --format json \
  >"$work/all-base.json" 2>"$work/all-base.err" || fail "report --collect.netns all, base unit"
grep -q 'could not be entered' "$work/all-base.err" || fail "no note of denied namespaces"
python3 - "$work/all-base.json" "$netns" <<'PY' || fail "report --collect.netns all, base unit"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["skipped"]["denied"] >= 1, report["skipped"]
assert sys.argv[2] not in [n["netns"] for n in report["namespaces"]]
assert len(report["namespaces"]) >= 1  # its own
PY
caps=$(tr ' ' '\n' <<<"$granted" | sed 's/^CAP_//' | tr 'A-Z' 'a-z' | sed 's/^/+/' | paste -sd,)
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="$caps" \
  --ambient-caps="$caps" --bounding-set=-all,"$caps" --no-new-privs \
  tcpstated report --collect.netns all --format json >"$work/all.json" ||
  fail "report --collect.netns all with the drop-in's capabilities"
python3 - "$work/all.json" "$netns" "$holder_pid" <<'PY' || fail "report --collect.netns all with the drop-in's capabilities"
import json, sys
report = json.load(open(sys.argv[1]))
ns = {n["netns"]: n for n in report["namespaces"]}[sys.argv[2]]
got = {k: ns["sockets"][k] for k in ("listen", "close_wait", "fin_wait2")}
assert got == {"listen": 1, "close_wait": 120, "fin_wait2": 120}, got
finding = [f for f in ns["findings"] if f["kind"] == "close_wait"][0]
assert [p["pid"] for p in finding["who"]["processes"]] == [int(sys.argv[3])], finding
assert report["skipped"]["denied"] == 0, report["skipped"]
PY
exec {hold}>&-
wait "$holder_pid" || true
holder_pid=

echo "== dpkg --purge"
dpkg --purge tcpstated
left=()
for path in "${expected[@]}" /etc/tcpstated /usr/share/tcpstated \
    /usr/share/doc/tcpstated \
    /etc/systemd/system/multi-user.target.wants/tcpstated.service \
    /etc/systemd/system/tcpstated.service \
    /var/lib/systemd/deb-systemd-helper-enabled/tcpstated.service.dsh-also \
    /var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/tcpstated.service \
    /var/lib/systemd/deb-systemd-helper-masked/tcpstated.service; do
  if [ -e "$path" ] || [ -L "$path" ]; then left+=("$path"); fi
done
[ ${#left[@]} -eq 0 ] || fail "left after purge: ${left[*]}"
dpkg-query -W tcpstated >/dev/null 2>&1 && fail "dpkg still knows tcpstated"
echo "package test: passed"
