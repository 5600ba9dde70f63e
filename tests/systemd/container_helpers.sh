# Helpers for the checks in checks.sh, run against the booted container:
# `inside` runs a command in it, `fail` reports. Sourced, not run.

prop() { inside systemctl show -p "$1" --value tcpstated.service; }
scrape() { inside curl -sf --max-time 5 http://127.0.0.1:10039/metrics; }
# The value of one series in a scrape ("" when absent).
value() { scrape | awk -v series="$1" '$1 == series { print $2 }'; }
series_is() { [ "$(value "$1")" = "$2" ]; }
prop_is() { [ "$(prop "$1")" = "$2" ]; }
prop_above() { [ "$(prop "$1")" -gt "$2" ]; }
journal() { inside journalctl -u tcpstated.service --no-pager -o cat "$@"; }
journal_has() { journal | grep >/dev/null -- "$1"; }
# Sets `key = value` in the installed config (a conffile the admin edits).
set_conf() {
  inside sed -i "/^$1 = /d" /etc/tcpstated/tcpstated.conf
  echo "$1 = $2" | inside tee -a /etc/tcpstated/tcpstated.conf >/dev/null
}
collections() { value tcpstate_collections_total; }
collections_rise_by() {  # N within the caller's deadline
  local now
  now=$(collections) && [ -n "$now" ] && [ "${now%.*}" -ge "$1" ]
}
dropin() {  # NAME, then the [Service] lines on stdin
  inside mkdir -p /etc/systemd/system/tcpstated.service.d
  { echo "[Service]"; cat; } |
    inside tee "/etc/systemd/system/tcpstated.service.d/$1.conf" >/dev/null
  inside systemctl daemon-reload
}

# A daemon the filter killed (SIGSYS) is named in the kernel's audit line
# (type=1326 ... syscall=N): prints the syscall's name, or nothing. Only
# lines since the test began count.
denied_syscall() {
  local line number
  line=$(dmesg | grep 'type=1326' | tail -n +$((audit_lines_before + 1)) |
    grep 'exe="/usr/libexec/tcpstated/tcpstated-daemon"' | tail -1 || true)
  [ -n "$line" ] || return 0
  number=$(sed -n 's/.* syscall=\([0-9]*\).*/\1/p' <<<"$line")
  awk -v n="$number" '$3 == n { sub("__NR_", "", $2); print $2 }' \
    /usr/include/x86_64-linux-gnu/asm/unistd_64.h
}
check_no_denied_syscall() {
  local syscall
  syscall=$(denied_syscall)
  [ -z "$syscall" ] || fail "during $1"
  ! journal | grep >/dev/null 'status=31/SYS' || fail "SIGSYS during $1"
}

# Sockets made inside the container by COMMAND (tcpstated-sockets, maybe
# through `ip netns exec`), held until the test ends: its stdin is a FIFO
# whose writer stays open in this shell.
hold_sockets() {  # NAME COMMAND...
  local fifo=$work/$1 fd
  shift
  mkfifo "$fifo"
  inside "$@" <"$fifo" >/dev/null 2>"$fifo.err" &
  exec {fd}>"$fifo"
  holder_fds+=("$fd")
  wait_for 10 grep -q 'fds open' "$fifo.err" || fail "sockets: $(cat "$fifo.err")"
}
