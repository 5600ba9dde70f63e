#pragma once

namespace tcpstated {

// Continues `tcpstated run` or `check-config` in tcpstated-daemon, the
// binary with the HTTP front, TLS, metrics and systemd: the same process
// (exec keeps the PID systemd watches, the notify socket, the listening
// sockets it passed), with the same arguments. Looks beside this binary
// first (a build tree), then where the package installs it. Returns only
// when it cannot: 1, with one line on stderr.
int ExecDaemon(char** argv);

}  // namespace tcpstated
