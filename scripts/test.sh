#!/usr/bin/env bash
# Builds tcpstated and runs the whole test suite: formatting check, a
# -Werror build with every test label (unit, integration, e2e), then all of
# them again under AddressSanitizer + UBSan. Needs root (network namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh

if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: the integration tests create network namespaces: run as root" >&2
  exit 1
fi

echo "== clang-format"
git ls-files '*.cc' '*.h' '*.c' | xargs clang-format --dry-run --Werror

echo "== build (warnings are errors)"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTCPSTATED_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build build/release
ctest --test-dir build/release --output-on-failure -j2

echo "== AddressSanitizer + UBSan"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DTCPSTATED_WARNINGS_AS_ERRORS=ON -DTCPSTATED_SANITIZE=ON >/dev/null
cmake --build build/asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j2 -L 'unit|integration|e2e'
