#!/usr/bin/env bash
# The .deb and its unit under a real systemd: boots Debian 12 in a
# systemd-nspawn container (its own network namespace), installs the
# package there and checks what only systemd shows: READY=1 and the status
# text, the dynamic user and its sandbox, the shipped syscall filter on
# every code path the test drives (made fatal, so that a denied syscall
# names itself), replay of a recorded dump, reload, the journal, the
# watchdog, stop, the all-namespaces drop-in, the README's TLS credential
# recipe, the example socket unit, and purge.
#
#   systemd_test.sh BUILD_DIR SOCKETS_BINARY
#
# Needs root, systemd-nspawn and mmdebstrap (scripts/install-deps.sh); exits
# 77 (skipped, with the reason) where the container cannot run. The root
# file system is built once from the machine's apt sources and kept under
# /var/tmp/tcpstated-systemd-rootfs, keyed by its package list;
# --volatile=overlay keeps it pristine.
set -Eeuo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

build_dir=$(realpath "$1")
sockets_binary=$(realpath "$2")
source_dir=$(realpath "$(dirname "$0")/../..")
cache=/var/tmp/tcpstated-systemd-rootfs

skip() {
  echo "systemd test: SKIPPED: $*" >&2
  exit 77
}
fail() {
  local syscall=
  # Whatever failed, a syscall the filter denied is the first thing to say.
  declare -F denied_syscall >/dev/null && syscall=$(denied_syscall)
  echo "FAIL: $*${syscall:+: the syscall filter denied $syscall}" >&2
  exit 1
}
step() { echo "== $* ($((SECONDS - started)) s)"; }
started=$SECONDS

[ "$(id -u)" -eq 0 ] || skip "needs root (systemd-nspawn)"
for tool in systemd-nspawn mmdebstrap nsenter; do
  command -v "$tool" >/dev/null ||
    skip "$tool is missing (scripts/install-deps.sh installs it)"
done
if [ -d /sys/fs/cgroup/unified ]; then
  cgroup_roots=(/sys/fs/cgroup/systemd /sys/fs/cgroup/unified)  # hybrid
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  cgroup_roots=(/sys/fs/cgroup)
else
  skip "no cgroup v2 hierarchy to give the container a cgroup of its own"
fi

audit_lines_before=$(dmesg | grep -c 'type=1326' || true)
work=$(mktemp -d)
name=tcpstated-sd-$$
nspawn_pid=
nspawn_dir_existed=$([ -d /run/systemd/nspawn ] && echo yes || echo no)
holder_fds=()  # writers of the FIFOs that keep socket holders alive
cleanup() {
  # The holders run in the container's PID namespace but outside its
  # cgroups: its shutdown would wait for them. EOF ends them.
  for fd in "${holder_fds[@]}"; do eval "exec $fd>&-"; done
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    # SIGTERM first: a SIGKILLed nspawn leaves its container's init behind.
    kill -TERM "$nspawn_pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nspawn_pid" 2>/dev/null || true
  fi
  for root in "${cgroup_roots[@]}"; do
    [ -d "$root/$name" ] && find "$root/$name" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  [ "$nspawn_dir_existed" = no ] && rm -rf /run/systemd/nspawn
  rm -rf "$work"
}
trap cleanup EXIT

step "cpack -G DEB"
(cd "$build_dir" && cpack -G DEB -B "$work/cpack" >"$work/cpack.log") ||
  { cat "$work/cpack.log"; fail "cpack"; }
mkdir "$work/debs" && mv "$work"/cpack/tcpstated_*.deb "$work/debs/"
deb=$(ls "$work"/debs/tcpstated_*.deb)

# The package's own dependencies, so that dpkg -i works offline inside.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/ //g' | grep .)
packages=$(printf '%s\n' systemd systemd-sysv dbus procps iproute2 curl $depends |
  sort -u | paste -sd, -)
key=$(printf '%s' "$packages" | sha256sum | cut -c1-16)
rootfs=$cache/$key
if [ ! -x "$rootfs/lib/systemd/systemd" ]; then
  step "mmdebstrap (once per package list: $rootfs)"
  mkdir -p "$cache" && rm -rf "$rootfs.tmp"
  mmdebstrap --quiet --variant=minbase --include="$packages" bookworm \
    "$rootfs.tmp" >"$work/mmdebstrap.log" 2>&1 ||
    { tail -20 "$work/mmdebstrap.log"; rm -rf "$rootfs.tmp";
      skip "mmdebstrap could not build the root file system (apt sources?)"; }
  mv "$rootfs.tmp" "$rootfs"
fi

# What the container sees of the host: the package, the socket maker, and
# the TLS material of the README's recipe.
share=$work/share
mkdir -p "$share"
cp "$sockets_binary" "$share/tcpstated-sockets"
cp "$source_dir/tests/fixtures/mixed-legacy.dump" "$share/replay.dump"
certtool --generate-privkey --key-type=ecdsa --outfile "$share/server.key" 2>/dev/null
cat >"$share/cert.tmpl" <<'EOF'
cn = localhost
dns_name = localhost
ip_address = 127.0.0.1
expiration_days = 2
tls_www_server
signing_key
encryption_key
EOF
certtool --generate-self-signed --load-privkey "$share/server.key" \
  --template "$share/cert.tmpl" --outfile "$share/server.crt" 2>/dev/null
htpasswd -nbBC 10 "" 'the password' | tr -d ':\n' >"$share/hash"

step "boot"
(
  for root in "${cgroup_roots[@]}"; do
    mkdir -p "$root/$name"
    echo $BASHPID >"$root/$name/cgroup.procs"
  done
  # CAP_BPF and CAP_PERFMON, and the bpf() call, which nspawn keeps from
  # its containers by default (its seccomp filter excludes bpf: "bpffs is
  # not namespaced"): the events drop-in grants them to the unit from here.
  exec systemd-nspawn -q -D "$rootfs" --volatile=overlay -b --keep-unit \
    --register=no --private-network --console=pipe -M "$name" \
    --capability=CAP_BPF,CAP_PERFMON --system-call-filter=bpf \
    --bind-ro="$work/debs:/debs" --bind-ro="$share:/share" </dev/null
) >"$work/nspawn.log" 2>&1 &
nspawn_pid=$!
leader=
for _ in $(seq 100); do
  leader=$(pgrep -P "$nspawn_pid" | head -1) && [ -n "$leader" ] && break
  kill -0 "$nspawn_pid" 2>/dev/null ||
    { cat "$work/nspawn.log"; skip "systemd-nspawn does not run here"; }
  sleep 0.1
done
[ -n "$leader" ] || fail "the container never started"
inside() { nsenter -t "$leader" -a "$@"; }
# Until its init listens on D-Bus, systemctl cannot even ask.
state=
for _ in $(seq 300); do
  state=$(timeout 30 nsenter -t "$leader" -a systemctl is-system-running --wait 2>/dev/null || true)
  [ -n "$state" ] && break
  sleep 0.1
done
[ "$state" = running ] || { cat "$work/nspawn.log"; fail "container state: '$state'"; }

. "$source_dir/tests/support/wait_for.sh"
. "$source_dir/tests/systemd/container_helpers.sh"
. "$source_dir/tests/systemd/checks.sh"
run_checks
step "done"
