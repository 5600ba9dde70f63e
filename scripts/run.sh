#!/usr/bin/env bash
# Builds tcpstated and runs it with the default configuration. Extra
# arguments go to tcpstated (default: `report`, the one-shot table).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release --target tcpstated >/dev/null
if [ $# -eq 0 ]; then set -- report; fi
exec build/release/daemon/tcpstated "$@"
