# Sourced by the shell tests. wait_for SECONDS COMMAND...: polls COMMAND
# (its output discarded) until it succeeds, for at most SECONDS times
# TCPSTATED_TEST_TIME_FACTOR (a whole number, 1 unless set: a busy host or a
# sanitizer build waits longer, as the C++ tests' WaitFor does); what it
# compares is read anew each time (pass functions, not "$(...)").
wait_for() {
  local deadline=$((SECONDS + $1 * ${TCPSTATED_TEST_TIME_FACTOR:-1}))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
