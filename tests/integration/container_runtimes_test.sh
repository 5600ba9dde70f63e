#!/usr/bin/env bash
# Container names from files real runtimes wrote. For Docker (a private
# dockerd: its own data and exec roots, no bridge, no iptables, no
# forwarding, so the host's network is untouched) and Podman (its own
# storage and run roots, the cgroupfs manager): a named container from an
# imported image, in a network namespace of its own, holds a CLOSE_WAIT
# leak, and `report --collect.netns all` must name it from the cgroup path the
# runtime chose and the state file it wrote (Docker's config.v2.json,
# containers/storage's containers.json): the namespace's owner, the
# owner's structured fields (id, name, image) and the pileup's holder, and
# the daemon's tcpstate_owner_info and tcpstate_unit_sockets.
#
#   container_runtimes_test.sh TCPSTATED_BINARY SOCKETS_BINARY
#
# Needs root and dockerd or podman (scripts/install-deps.sh installs
# docker.io and podman); a runtime that is missing is skipped, and the
# test exits 77 (skipped, with the reason) when both are.
set -Eeuo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

. "$(dirname "$0")/../support/wait_for.sh"
tcpstated=$(realpath "$1")
sockets_binary=$(realpath "$2")
leaked=120  # over the one-shot report's CLOSE_WAIT threshold

skip() {
  echo "container runtimes test: SKIPPED: $*" >&2
  exit 77
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || skip "needs root (container runtimes)"
runtimes=()
command -v dockerd >/dev/null && command -v docker >/dev/null && runtimes+=(docker)
command -v podman >/dev/null && runtimes+=(podman)
[ ${#runtimes[@]} -gt 0 ] ||
  skip "neither dockerd nor podman (scripts/install-deps.sh installs them)"

work=$(mktemp -d /tmp/tcpstated-runtimes.XXXXXX)
name=tcpstated-web-$$
image=tcpstated-test/sockets:$$
dockerd_pid=
# The runtimes' parent cgroups (/docker, /libpod_parent in each hierarchy),
# if this test makes them, are removed after it (rmdir: only while empty).
parent_cgroups() {
  find /sys/fs/cgroup/ /sys/fs/cgroup/*/ -maxdepth 1 -type d \
    \( -name docker -o -name libpod_parent \) 2>/dev/null || true
}
cgroups_before=$(parent_cgroups)
cgroups_removed() {
  local left
  left=$(parent_cgroups)
  [ -z "$left" ] || { find $left -depth -type d -exec rmdir {} + 2>/dev/null; false; }
}
cleanup() {
  docker_cli rm -f "$name" >/dev/null 2>&1 || true
  podman_cli rm -f -t 0 "$name" >/dev/null 2>&1 || true
  if [ -n "$dockerd_pid" ]; then
    kill -TERM "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
  fi
  # Whatever the runtimes left mounted (overlays, run roots) goes first.
  findmnt -rn -o TARGET | grep "^$work/" | sort -r |
    xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf --one-file-system "$work"
  # The runtime removes the container's own cgroup just after it exits.
  [ -n "$cgroups_before" ] || wait_for 10 cgroups_removed || true
}
trap cleanup EXIT

docker_cli() { DOCKER_HOST=unix://$work/docker.sock docker "$@"; }
podman_cli() {
  podman --root "$work/podman/root" --runroot "$work/podman/run" \
    --tmpdir "$work/podman/tmp" --cgroup-manager cgroupfs \
    --events-backend file "$@"
}

# The smallest image that runs the socket maker: it and its libraries.
mkdir "$work/image"
cp "$sockets_binary" "$work/image/tcpstated-sockets"
for lib in $(ldd "$sockets_binary" | grep -o '/[^ ]*'); do
  mkdir -p "$work/image$(dirname "$lib")"
  cp -L "$lib" "$work/image$lib"
done
tar -C "$work/image" -cf "$work/image.tar" .

start_docker() {
  echo '{}' >"$work/daemon.json"
  dockerd --config-file "$work/daemon.json" --data-root "$work/docker" \
    --exec-root "$work/docker-exec" --pidfile "$work/docker.pid" \
    -H "unix://$work/docker.sock" \
    --bridge=none --iptables=false --ip6tables=false --ip-forward=false \
    >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  wait_for 60 docker_cli version || fail "dockerd did not come up: $(tail -3 "$work/dockerd.log")"
  docker_cli import - "$image" <"$work/image.tar" >/dev/null
}

# Runs the leaking container with RUNTIME_cli, prints its id.
run_leak() {  # RUNTIME_cli EXTRA_FLAGS...
  local cli=$1
  shift
  # -i keeps the container's stdin open: the socket maker holds its
  # sockets until it closes (rm).
  "$cli" run -d -i --name "$name" --network none "$@" "$image" \
    /tcpstated-sockets listen:v4:7300:256 "close-wait-kept:v4:7300:$leaked"
  made() { "$cli" logs "$name" 2>&1 | grep 'fds open'; }
  wait_for 20 made || fail "no sockets made: $("$cli" logs "$name" 2>&1)"
}

check_named() {  # RUNTIME ID IMAGE_NAME STATE_FLAG DIR
  local runtime=$1 id=$2 image_name=$3 pid
  pid=$("${runtime}_cli" inspect -f '{{.State.Pid}}' "$name")
  echo "$runtime container $name: cgroup $(sed -n 's/^0:://p' "/proc/$pid/cgroup")"
  "$tcpstated" report --collect.netns all --format json "--containers.$4" "$5" \
    >"$work/report.json"
  python3 - "$work/report.json" "$runtime" "$name" "$id" "$image_name" "$leaked" <<'EOF' ||
import json
import sys

report, runtime, name, cid, image = sys.argv[1:6]
leaked = int(sys.argv[6])
owner = f"{runtime}:{name}"
fields = {"runtime": runtime, "id": cid, "name": name, "image": image}
mine = [n for n in json.load(open(report))["namespaces"] if n.get("owner") == owner]
assert len(mine) == 1, f"no namespace owned by {owner}"
ns = mine[0]
assert ns.get("container") == fields, f"namespace fields: {ns.get('container')}"
units = [u for u in ns["units"] if u["unit"] == owner]
assert units and units[0]["container"] == fields, f"units: {ns['units']}"
assert units[0]["states"]["close_wait"] == leaked, units[0]["states"]
findings = [f for f in ns["findings"] if f["kind"] == "close_wait"]
assert findings, f"no CLOSE_WAIT finding: {ns['findings']}"
holders = [u["unit"] for u in findings[0]["who"]["units"]]
assert owner in holders, f"finding held by {holders}"
print(f"named {owner} ({cid[:12]}, image {image}): {leaked} CLOSE_WAIT, finding held by it")
EOF
    fail "$runtime: see above"
  check_daemon_names "$@"
}

# The daemon names it too, across collections, in tcpstate_unit_sockets
# and tcpstate_owner_info.
check_daemon_names() {  # RUNTIME ID IMAGE_NAME STATE_FLAG DIR
  local runtime=$1 id=$2 image_name=$3 port=$((20000 + $$ % 10000)) daemon
  "$tcpstated" run --config.file /dev/null --collect.netns all \
    --collect.interval 200ms --web.listen-address "127.0.0.1:$port" \
    "--containers.$4" "$5" 2>"$work/daemon.log" &
  daemon=$!
  scraped() {
    curl -sf "http://127.0.0.1:$port/metrics" >"$work/metrics" &&
      awk '$1 == "tcpstate_collections_total" && $2 >= 2 { ok = 1 } END { exit !ok }' \
        "$work/metrics"
  }
  local up=yes
  wait_for 20 scraped || up=no
  kill "$daemon" 2>/dev/null || true  # it may have exited: the log says why
  wait "$daemon" || true
  [ "$up" = yes ] || fail "daemon: $(tail -3 "$work/daemon.log")"
  local info="tcpstate_owner_info{netns=\"[0-9]*\",unit=\"$runtime:$name\",runtime=\"$runtime\",container_id=\"$id\",container_name=\"$name\",image=\"$image_name\"} 1"
  grep >/dev/null -x "$info" "$work/metrics" ||
    fail "daemon: no $info in: $(grep owner_info "$work/metrics")"
  grep >/dev/null -x "tcpstate_unit_sockets{netns=\"[0-9]*\",unit=\"$runtime:$name\",state=\"close_wait\"} $leaked" \
    "$work/metrics" || fail "daemon: $(grep "unit=\"$runtime:" "$work/metrics")"
  echo "the daemon names $runtime:$name in tcpstate_owner_info and tcpstate_unit_sockets"
}

for runtime in "${runtimes[@]}"; do
  case $runtime in
    docker)
      start_docker
      id=$(run_leak docker_cli)
      check_named docker "$id" "$image" docker-state "$work/docker/containers"
      docker_cli rm -f "$name" >/dev/null
      ;;
    podman)
      podman_cli import -q "$work/image.tar" "$image" >/dev/null
      # Podman's default limits (nofile 1048576) need CAP_SYS_RESOURCE to
      # set, which a container host like this one may not grant: less.
      id=$(run_leak podman_cli --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
      # Podman names a local image localhost/NAME.
      check_named podman "$id" "localhost/$image" podman-state \
        "$work/podman/root/overlay-containers"
      podman_cli rm -f -t 0 "$name" >/dev/null
      ;;
  esac
done
