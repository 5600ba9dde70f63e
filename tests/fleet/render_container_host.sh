#!/usr/bin/env bash
# Renders the exposition of one container host of the fleet: the daemon
# watching every network namespace, with real sockets in each. Run under
#   unshare --mount --pid --net --fork --mount-proc
# so that the daemon's sweep sees only what is made here: the namespaces
# under a private /run/netns, and, as "host", this new network namespace.
# When the script ends, so does every process of its PID namespace.
#
#   render_container_host.sh TCPSTATED SOCKETS OUT NAME=SPEC[,SPEC...]...
# SPEC as tcpstated-sockets takes it (listen:v4:8080:128, ...); OUT gets
# the exposition once the daemon's first sweep is served.
set -euo pipefail
tcpstated=$1 sockets=$2 out=$3
shift 3
mount --make-rprivate /
mkdir -p /run/netns
mount -t tmpfs tmpfs /run/netns
ip link set lo up
ready=$(mktemp -d)
for namespace in "$@"; do
  name=${namespace%%=*}
  ip netns add "$name"
  ip -n "$name" link set lo up
  IFS=, read -r -a specs <<<"${namespace#*=}"
  sleep infinity | ip netns exec "$name" "$sockets" "${specs[@]}" \
    >"$ready/$name" 2>/dev/null &
done
for namespace in "$@"; do
  name=${namespace%%=*}
  for _ in $(seq 300); do
    grep -q ready "$ready/$name" && break
    sleep 0.05
  done
  grep -q ready "$ready/$name" || { echo "$name: sockets not ready" >&2; exit 1; }
done
"$tcpstated" run --config.file /dev/null --collect.netns all \
  --collect.interval 1h --findings.for 0s \
  --web.listen-address 127.0.0.1:10039 2>/dev/null &
for _ in $(seq 300); do
  if curl -sf http://127.0.0.1:10039/metrics >"$out.part" &&
     grep -q '^tcpstate_sockets{' "$out.part"; then
    mv "$out.part" "$out"
    exit 0
  fi
  sleep 0.05
done
echo "the daemon served nothing" >&2
exit 1
