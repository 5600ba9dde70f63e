#!/usr/bin/env bash
# Builds tcpstated and runs the daemon with the shipped default
# configuration (config/tcpstated.conf): metrics on http://localhost:10039/metrics.
# Arguments, if any, replace that command line (e.g. `report`).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release --target tcpstated >/dev/null
if [ $# -eq 0 ]; then set -- run --config.file config/tcpstated.conf; fi
exec build/release/daemon/tcpstated "$@"
