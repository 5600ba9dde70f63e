#!/usr/bin/env bash
# Container names from files a real runtime wrote: starts a private Docker
# daemon (Debian's docker.io: its own data and exec roots, no bridge, no
# iptables, no forwarding, so the host's network is untouched), runs a
# named container in a network namespace of its own holding a CLOSE_WAIT
# leak, and checks that `report --netns all` names it from the cgroup path
# the runtime chose and the config.v2.json it wrote: the namespace's owner,
# the owner's structured fields and the pileup's holder.
#
#   docker_names_test.sh TCPSTATED_BINARY SOCKETS_BINARY
#
# Needs root and dockerd (scripts/install-deps.sh installs docker.io);
# exits 77 (skipped, with the reason) without them.
set -Eeuo pipefail
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR

tcpstated=$(realpath "$1")
sockets_binary=$(realpath "$2")
leaked=120  # over the one-shot report's CLOSE_WAIT threshold

skip() {
  echo "docker names test: SKIPPED: $*" >&2
  exit 77
}
fail() {
  echo "FAIL: $*" >&2
  [ -f "${work:-/nonexistent}/dockerd.log" ] && tail -5 "$work/dockerd.log" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || skip "needs root (dockerd)"
for tool in dockerd docker; do
  command -v "$tool" >/dev/null ||
    skip "$tool is missing (scripts/install-deps.sh installs docker.io)"
done

work=$(mktemp -d /tmp/tcpstated-docker.XXXXXX)
export DOCKER_HOST=unix://$work/docker.sock
name=tcpstated-web-$$
dockerd_pid=
# dockerd's parent cgroups (/docker in each hierarchy), if this test makes
# them, are removed after it (rmdir: only while empty).
docker_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker; do
    [ -d "$dir" ] && echo "$dir"
  done
  true
}
cgroups_before=$(docker_cgroups)
cleanup() {
  docker rm -f "$name" >/dev/null 2>&1 || true
  if [ -n "$dockerd_pid" ]; then
    kill -TERM "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
  fi
  # Whatever dockerd left mounted (overlays, its exec root) goes first.
  findmnt -rn -o TARGET | grep "^$work/" | sort -r |
    xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf --one-file-system "$work"
  # The runtime removes the container's own cgroup just after it exits.
  [ -n "$cgroups_before" ] || wait_for 10 docker_cgroups_removed || true
}
docker_cgroups_removed() {
  local left
  left=$(docker_cgroups)
  [ -z "$left" ] || { xargs rmdir <<<"$left"; false; }
}
trap cleanup EXIT

# Polls `command...` until it succeeds, for at most $1 seconds.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

echo '{}' >"$work/daemon.json"
dockerd --config-file "$work/daemon.json" --data-root "$work/data" \
  --exec-root "$work/exec" --pidfile "$work/docker.pid" -H "$DOCKER_HOST" \
  --bridge=none --iptables=false --ip6tables=false --ip-forward=false \
  >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
wait_for 60 docker version || fail "dockerd did not come up"

# The smallest image that runs the socket maker: it and its libraries.
mkdir "$work/image"
cp "$sockets_binary" "$work/image/tcpstated-sockets"
for lib in $(ldd "$sockets_binary" | grep -o '/[^ ]*'); do
  mkdir -p "$work/image$(dirname "$lib")"
  cp -L "$lib" "$work/image$lib"
done
image=tcpstated-test/sockets:$$
tar -C "$work/image" -c . | docker import - "$image" >/dev/null

# -i keeps the container's stdin open: the socket maker holds its sockets
# until it closes (docker rm).
id=$(docker run -d -i --name "$name" --network none "$image" \
  /tcpstated-sockets listen:v4:7300:256 "close-wait-kept:v4:7300:$leaked")
made() { docker logs "$name" 2>&1 | grep 'fds open'; }
wait_for 20 made || fail "the container did not make its sockets: $(docker logs "$name" 2>&1)"
pid=$(docker inspect -f '{{.State.Pid}}' "$name")
cgroup=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
echo "container $name: cgroup v2 path $cgroup"

"$tcpstated" report --netns all --format json \
  --containers.docker-state "$work/data/containers" \
  --containers.containerd-state '' --containers.crio-state '' >"$work/report.json"
python3 - "$work/report.json" "$name" "$id" "$image" "$leaked" <<'EOF' || fail "see above"
import json
import sys

report, name, cid, image, leaked = sys.argv[1:5] + [int(sys.argv[5])]
owner = f"docker:{name}"
fields = {"runtime": "docker", "id": cid, "name": name, "image": image}
mine = [n for n in json.load(open(report))["namespaces"] if n.get("owner") == owner]
assert len(mine) == 1, f"no namespace owned by {owner}"
ns = mine[0]
assert ns.get("container") == fields, f"namespace fields: {ns.get('container')}"
units = [u for u in ns["units"] if u["unit"] == owner]
assert units and units[0]["container"] == fields, f"units: {ns['units']}"
assert units[0]["states"]["close_wait"] == leaked, units[0]["states"]
pileups = [p for p in ns["pileups"] if p["state"] == "close_wait"]
assert pileups, f"no CLOSE_WAIT pileup: {ns['pileups']}"
holders = [o["unit"] for o in pileups[0]["owners"]]
assert owner in holders, f"pileup held by {holders}"
print(f"named {owner} ({cid[:12]}, image {image}): {leaked} CLOSE_WAIT, pileup held by it")
EOF
