#!/usr/bin/env bash
# The test suite. Installs what it needs (scripts/install-deps.sh) first.
#
#   scripts/test.sh         everything (root: network namespaces, the .deb,
#                           systemd in a container), ~14 min on 2 cores:
#     1. clang-format check
#     2. release build (g++, -Werror), every test label: unit, integration,
#        e2e, scenarios, fuzz corpus replays, soak, alerts, package, systemd
#        (not fleet: 1,000 hosts in Prometheus, ~3 min; ctest -L fleet)
#     3. AddressSanitizer + UBSan build (clang, -Werror) with the libFuzzer
#        targets: unit, integration, e2e and the corpus replays
#     4. the libFuzzer targets for TCPSTATED_FUZZ_SECONDS (180) each, niced,
#        while 5. runs beside them
#     5. ThreadSanitizer build (clang, -Werror): unit and e2e
#   scripts/test.sh quick   no root: format check, release build, unit tests
#
# TCPSTATED_TEST_TIME_FACTOR (default 3 here, 1 when a test runs alone)
# stretches the tests' deadlines for observable state; a promise the product
# makes (stops within 2 s) is never stretched. docs/testing.md has more.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
case "$mode" in
  full | quick) ;;
  *)
    echo "usage: scripts/test.sh [quick]" >&2
    exit 2
    ;;
esac
./scripts/install-deps.sh
export TCPSTATED_TEST_TIME_FACTOR=${TCPSTATED_TEST_TIME_FACTOR:-3}
started=$SECONDS
step() { echo "== $* ($((SECONDS - started)) s)"; }
# A failing test step is reported at the end; the later steps still run
# (a failing build stops everything).
failures=()
tests() {  # NAME COMMAND...
  local name=$1
  shift
  "$@" || failures+=("$name")
}

# configure DIR COMPILER BUILD_TYPE [CMAKE_ARGS...]
configure() {
  local dir=$1 cxx=$2 type=$3
  shift 3
  local cc=gcc
  [ "$cxx" = clang++ ] && cc=clang
  CC=$cc CXX=$cxx cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" \
    -DTCPSTATED_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
}

step "clang-format"
git ls-files '*.cc' '*.h' '*.c' | xargs clang-format --dry-run --Werror

step "release build (warnings are errors)"
configure build/release g++ RelWithDebInfo
cmake --build build/release

if [ "$mode" = quick ]; then
  step "unit tests"
  exec ctest --test-dir build/release --output-on-failure -j2 -L unit
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: the full suite creates network namespaces and installs" \
       "the .deb: run it as root (scripts/test.sh quick needs no root)" >&2
  exit 1
fi

step "every test label but fleet"
tests "release build" ctest --test-dir build/release --output-on-failure -j2 \
  -LE fleet

# The sanitizer builds optimise a little (-O1): the daemon under test and
# the fuzzers run several times faster than at -O0 for little compile time.
step "AddressSanitizer + UBSan build, with the libFuzzer targets (clang)"
configure build/asan clang++ Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DTCPSTATED_SANITIZE=address \
  -DTCPSTATED_FUZZ=ON -DTCPSTATED_SCENARIO_TESTS=OFF
cmake --build build/asan
step "unit, integration, e2e and fuzz corpora under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  tests "ASan + UBSan build" ctest --test-dir build/asan \
    --output-on-failure -j2 -L 'unit|integration|e2e|fuzz'

fuzz_seconds=${TCPSTATED_FUZZ_SECONDS:-180}
fuzz_grace=300  # seconds past its time after which a fuzzer is hung
step "fuzzing in the background: each target for ${fuzz_seconds} s, niced"
fuzz_targets=(dump_parser config web_config http_headers runtime_files)
work=$(mktemp -d)
fuzz_pids=()
for target in "${fuzz_targets[@]}"; do
  # A scratch copy of the corpus: what the run discovers stays out of git.
  mkdir -p "$work/$target/corpus" "$work/$target/crashes"
  cp tests/fuzz/corpus/$target/* "$work/$target/corpus/"
  # libFuzzer's own out-of-memory report walks the whole heap under ptrace
  # and took over an hour on a 2 GB heap: one allocation over 512 MB is
  # caught where it is made, and `timeout` bounds whatever else hangs.
  timeout -k 10 $((fuzz_seconds + fuzz_grace)) nice -n 19 \
    build/asan/tests/${target}_fuzz -max_total_time="$fuzz_seconds" \
    -rss_limit_mb=2048 -malloc_limit_mb=512 \
    -artifact_prefix="$work/$target/crashes/" "$work/$target/corpus" \
    >"$work/$target/log" 2>&1 &
  fuzz_pids+=($!)
done
# A failing step below ends the script: the fuzzers go with it.
trap 'kill "${fuzz_pids[@]}" 2>/dev/null || true' EXIT

step "ThreadSanitizer build (clang)"
configure build/tsan clang++ Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DTCPSTATED_SANITIZE=thread \
  -DTCPSTATED_SCENARIO_TESTS=OFF
cmake --build build/tsan
step "unit and e2e under TSan"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  tests "TSan build" ctest --test-dir build/tsan --output-on-failure -j2 \
    -L 'unit|e2e'

step "waiting for the fuzzers"
fuzz_failed=0
for i in "${!fuzz_targets[@]}"; do
  target=${fuzz_targets[$i]}
  status=0
  wait "${fuzz_pids[$i]}" || status=$?
  if [ $status -eq 0 ]; then
    echo "$target: $(grep -E '^Done' "$work/$target/log")"
    continue
  fi
  fuzz_failed=1
  failures+=("fuzzing $target")
  tail -40 "$work/$target/log"
  if [ $status -eq 124 ] || [ $status -eq 137 ]; then
    echo "$target: did not end $fuzz_grace s after its time: hung" >&2
  fi
  crash=$(ls "$work/$target/crashes"/* 2>/dev/null | head -1)
  if [ -n "$crash" ]; then
    echo "$target: add $crash to tests/fuzz/corpus/$target/" \
      "so it is replayed forever" >&2
  fi
done
[ $fuzz_failed -eq 0 ] && rm -rf "$work"
if [ ${#failures[@]} -ne 0 ]; then
  step "FAILED: $(IFS=,; echo "${failures[*]}" | sed 's/,/, /g')"
  exit 1
fi
step "passed"

