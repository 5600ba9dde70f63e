#!/usr/bin/env bash
# Builds tcpstated and runs the whole test suite: formatting check, a
# -Werror build with every test label (unit, integration, e2e, fuzz corpus
# replays, soak, alerts, package: the .deb installed and purged), the
# functional ones again under AddressSanitizer + UBSan, then the
# libFuzzer targets for TCPSTATED_FUZZ_SECONDS (180) each, in parallel. Needs root
# (network namespaces).
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
  ctest --test-dir build/asan --output-on-failure -j2 -L 'unit|integration|e2e|fuzz'

echo "== fuzzing (libFuzzer, clang): each target for ${TCPSTATED_FUZZ_SECONDS:=180} s, in parallel"
fuzz_targets=(dump_parser config web_config http_headers runtime_files)
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTCPSTATED_WARNINGS_AS_ERRORS=ON \
  -DTCPSTATED_FUZZ=ON >/dev/null
cmake --build build/fuzz --target "${fuzz_targets[@]/%/_fuzz}"
work=$(mktemp -d)
pids=()
for target in "${fuzz_targets[@]}"; do
  # A scratch copy of the corpus: what the run discovers stays out of git.
  mkdir -p "$work/$target/corpus" "$work/$target/crashes"
  cp tests/fuzz/corpus/$target/* "$work/$target/corpus/"
  build/fuzz/tests/${target}_fuzz -max_total_time="$TCPSTATED_FUZZ_SECONDS" \
    -rss_limit_mb=2048 -artifact_prefix="$work/$target/crashes/" \
    "$work/$target/corpus" >"$work/$target/log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!fuzz_targets[@]}"; do
  target=${fuzz_targets[$i]}
  if wait "${pids[$i]}"; then
    echo "$target: $(grep -E '^Done' "$work/$target/log")"
  else
    failed=1
    tail -40 "$work/$target/log"
    echo "$target: crash; add $(ls "$work/$target/crashes"/* | head -1) to" \
         "tests/fuzz/corpus/$target/ so it is replayed forever" >&2
  fi
done
[ $failed -eq 0 ] && rm -rf "$work"
exit $failed
