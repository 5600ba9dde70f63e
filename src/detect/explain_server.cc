// Why a server's port is in trouble: its accept queue, its handshakes, the
// TIME_WAIT it keeps because it closes first, the kernel's TIME_WAIT table.
#include <algorithm>

#include "explain_text.h"

namespace tcpstated {
namespace {

void AcceptQueue(Finding& f, const Snapshot& s) {
  const std::string port = PortsText(f);
  const std::string holder = MainHolder(f);
  const std::string program = holder.empty() ? "the program" : holder;
  if (const ProcessSockets* halted = HaltedHolder(f)) {
    f.cause = "holder_stopped";
    f.why = halted->command + "[" + std::to_string(halted->pid) +
            "], which holds the listener of " + port + ", is stopped (state " +
            std::string(1, halted->state) +
            "): nothing accepts the connections waiting in its queue, and "
            "the kernel drops new SYNs";
    f.check =
        "who stopped it (SIGSTOP, a debugger, a paused container); "
        "kill -CONT " +
        std::to_string(halted->pid) + " resumes it";
    return;
  }
  if (f.ports.empty()) {  // only the namespace's counter saw it
    f.cause = "bursts";
    f.why =
        "the kernel counted listen queue overflows in this namespace, "
        "but no listener's queue was at its limit when looked at: "
        "connections arrive in bursts that fill a queue between looks";
    f.check =
        "ss -ltn a few times (Recv-Q against Send-Q) for the listener "
        "that fills; nstat -az TcpExtListenOverflows; the listeners' "
        "backlogs and " +
        Setting(s, "somaxconn", "net.core.");
    return;
  }
  if (f.limit_source == LimitSource::kSomaxconn) {
    f.cause = "somaxconn";
    f.why = program + " accepts connections on " + port +
            " more slowly than they arrive, and its backlog is capped at " +
            Setting(s, "somaxconn", "net.core.") +
            ": a larger listen() backlog changes nothing while somaxconn "
            "caps it";
    f.check = "raise net.core.somaxconn and the program's backlog; why " +
              program + " accepts slowly (its CPU, a blocked accept loop)";
    return;
  }
  f.cause = "slow_accept";
  f.why = program + " accepts connections on " + port +
          " more slowly than they arrive: its queue is at the backlog it "
          "passed to listen() (" +
          std::to_string(f.limit) + "; " +
          Setting(s, "somaxconn", "net.core.") + " would allow more)";
  f.check =
      "the program's CPU and worker count, a blocked accept loop; a "
      "larger listen backlog (nginx: listen ... backlog=N) absorbs "
      "bursts";
}

void TimeWait(Finding& f, const Snapshot& s) {
  const std::string port = PortsText(f);
  // Each connection waits 60 s in TIME_WAIT once closed: as many closed
  // per open one, over 60 s, is how long they lived.
  const double lifetime =
      60.0 * static_cast<double>(f.detail) / static_cast<double>(f.sockets);
  f.cause = "server_closes_first";
  f.why = "this server closes its connections on " + port +
          " before its clients do, so each one then waits 60 s in TIME_WAIT "
          "here: " +
          std::to_string(f.sockets) + " of them beside " +
          std::to_string(f.detail) + " open (" +
          (lifetime < 1 ? std::string("connections last a second or less")
                        : "connections last about " + Number(lifetime) + " s") +
          "): HTTP keep-alive off, or a per-connection request limit";
  f.check =
      "keep-alive on the server and its clients (nginx: "
      "keepalive_timeout; clients sending Connection: close); " +
      Setting(s, "tcp_max_tw_buckets") +
      " bounds them (the kernel destroys the rest early); "
      "net.ipv4.tcp_tw_recycle, which old recipes set, is gone since "
      "Linux 4.12";
}

}  // namespace

void ExplainServer(Finding& f, const Snapshot& s) {
  const std::string port = PortsText(f);
  switch (f.kind) {
    case FindingKind::kAcceptQueue:
      AcceptQueue(f, s);
      break;
    case FindingKind::kTimeWait:
      TimeWait(f, s);
      break;
    case FindingKind::kTimeWaitTable:
      f.cause = "table_full";
      f.why = std::to_string(f.sockets) + " TIME_WAIT sockets fill " +
              Setting(s, "tcp_max_tw_buckets") +
              ": the kernel destroys new ones at once (\"time wait bucket "
              "table overflow\"), most of them on " +
              port;
      f.check = "who closes first on " + port +
                " (keep-alive, connection pooling); a larger "
                "tcp_max_tw_buckets costs memory only";
      break;
    default:  // kSynRecv
      f.cause = "handshake_incomplete";
      f.why = "handshakes on " + port +
              " are not completing: a SYN flood, or clients whose final "
              "ACK is lost; the listener's backlog (" +
              std::to_string(f.limit) +
              ") bounds them, beyond it SYNs are dropped or answered with "
              "SYN cookies";
      f.check = "the source addresses (ss -tn state syn-recv), " +
                Setting(s, "tcp_syncookies") + ", " +
                Setting(s, "tcp_max_syn_backlog");
      break;
  }
}

}  // namespace tcpstated
