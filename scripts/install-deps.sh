#!/usr/bin/env bash
# Installs everything tcpstated needs to build, run and test, from Debian 12's
# packages. Idempotent: packages already present are not fetched again, and
# the apt lists are refreshed only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libmnl-dev prometheus-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libsystemd-dev libcrypt-dev libmicrohttpd-dev libgnutls28-dev
  libyaml-cpp-dev zlib1g-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang clang-format libclang-rt-14-dev
  iproute2 net-tools procps python3 curl util-linux man-db
  lintian dpkg-dev init-system-helpers systemd apache2-utils gnutls-bin
  prometheus systemd-container mmdebstrap
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
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
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian prometheus package starts a system-wide server on :9090; our
# tests run their own instances, so the packaged one is not wanted running.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
