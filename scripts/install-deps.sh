#!/usr/bin/env bash
# Installs everything tcpstated needs to build, run and test, from Debian 12's
# packages. Idempotent: packages already present are not fetched again, and
# the apt lists are refreshed only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libmnl-dev prometheus-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libsystemd-dev libcrypt-dev libmicrohttpd-dev libgnutls28-dev
  libyaml-cpp-dev zlib1g-dev nlohmann-json3-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang clang-format libclang-rt-14-dev libbpf-dev bpftool linux-libc-dev
  iproute2 net-tools procps python3 python3-yaml curl util-linux man-db
  lintian dpkg-dev init-system-helpers systemd apache2-utils gnutls-bin
  prometheus systemd-container mmdebstrap docker.io podman
  jsonnet
  nginx-light redis-server redis-tools haproxy memcached wrk nftables
)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  sudo=sudo
else
  sudo=
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# The packaged services (prometheus on :9090, dockerd, which rewrites
# iptables, containerd, podman's socket and timers, and the servers the
# scenario tests start in namespaces of their own) are for tests that run
# their own instances: none is started by the install (policy-rc.d, which
# deb-systemd-invoke obeys, unless the machine has its own) nor left
# enabled for the next boot. Only the services of packages installed now:
# a machine's own Docker or Prometheus is left as it was.
new_services=()
installed prometheus || new_services+=(prometheus)
installed docker.io || new_services+=(docker.socket docker)
installed containerd || new_services+=(containerd)
installed podman || new_services+=(podman.socket podman podman-restart
  podman-auto-update.timer podman-auto-update)
installed nginx-light || new_services+=(nginx)
installed redis-server || new_services+=(redis-server)
installed haproxy || new_services+=(haproxy)
installed memcached || new_services+=(memcached)
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  for unit in "${new_services[@]}"; do
    $sudo systemctl disable --now "$unit" >/dev/null 2>&1 || true
  done
fi
