// Why connections do not finish closing, and why they stall.
#include "explain_text.h"

namespace tcpstated {
namespace {

std::string Holder(const Finding& f, const char* none) {
  const std::string holder = MainHolder(f);
  return holder.empty() ? none : holder;
}

std::string Stopped(const ProcessSockets& p) {
  return p.command + "[" + std::to_string(p.pid) + "], which holds them, " +
         (p.state == 'Z' || p.state == 'X'
              ? std::string("is dead")
              : "is stopped (state " + std::string(1, p.state) + ")");
}

void CloseWait(Finding& f) {
  const std::string port = PortsText(f);
  const Evidence& e = f.evidence;
  if (const ProcessSockets* halted = HaltedHolder(f)) {
    f.cause = "holder_stopped";
    f.why = Stopped(*halted) +
            ": it cannot read or close anything, and its peers have closed " +
            std::to_string(f.sockets) + " connections on " + port +
            " since; not a missing close()";
    f.check =
        "who stopped it (SIGSTOP, a debugger, a paused container); "
        "kill -CONT " +
        std::to_string(halted->pid) + " resumes it";
    return;
  }
  const std::string holder = Holder(f, "the program");
  if (!e.processes.empty() && e.processes.front().state == 'D') {
    f.cause = "holder_blocked";
    f.why = holder +
            " is in an uninterruptible wait (state D: disk or network file "
            "system I/O) and does not get to its connections on " +
            port;
    f.check = "what it waits on: cat /proc/" +
              std::to_string(e.processes.front().pid) +
              "/stack, the storage or NFS server behind it";
    return;
  }
  if (e.traced && e.sockets > 0 && e.fin_unread * 2 > e.sockets) {
    f.cause = "not_reading";
    f.why = holder + " has not read from these connections on " + port +
            " since their peers closed them (" + std::to_string(e.fin_unread) +
            " of " + std::to_string(e.sockets) +
            " still hold the peer's FIN unread): a thread or event loop "
            "stuck elsewhere, or connections it no longer polls";
    f.check =
        "what its threads are doing (gdb -p, py-spy, strace -p, "
        "/proc/PID/stack)";
    return;
  }
  f.cause = "no_close";
  f.why = holder + " reads the end of these connections on " + port +
          " (the peers closed them) but never calls close()";
  if (e.traced && e.sockets > 0) {
    f.why += ": " + std::to_string(e.sockets - e.fin_unread) + " of " +
             std::to_string(e.sockets) + " have read the peer's FIN";
  }
  f.check =
      "the code paths that drop a connection on end of stream or on "
      "an error without close(), or hand it back to a pool that never "
      "closes it";
}

void FinWait2(Finding& f, const Snapshot& s) {
  const std::string port = PortsText(f);
  const Evidence& e = f.evidence;
  const std::uint64_t held = e.sockets - e.orphans;
  if (e.traced && e.sockets > 0 && held * 2 > e.sockets) {
    f.cause = "shutdown_kept";
    f.why = Holder(f, "a program") + " called shutdown() on " +
            std::to_string(held) + " connections on " + port +
            " and keeps their descriptors: they wait for the peer's FIN for "
            "ever (" +
            Setting(s, "tcp_fin_timeout") + " ends orphans only)";
    f.check =
        "close() after shutdown() in that program, and why its peers "
        "keep their end open";
    return;
  }
  f.cause = "peer_never_closes";
  f.why = "peers on " + port +
          " never send their FIN after this side closed: " +
          (e.traced ? std::to_string(e.orphans) + " orphaned sockets, "
                    : std::string()) +
          "each kept until " + Setting(s, "tcp_fin_timeout") + " s run out";
  f.check = "the peers: clients that never close their end";
}

}  // namespace

void ExplainClosing(Finding& f, const Snapshot& s) {
  const std::string port = PortsText(f);
  switch (f.kind) {
    case FindingKind::kCloseWait:
      CloseWait(f);
      break;
    case FindingKind::kFinWait2:
      FinWait2(f, s);
      break;
    case FindingKind::kClosing:
      f.cause = "lost_acks";
      f.why =
          "simultaneous closes on " + port + " whose acknowledgements are lost";
      f.check = "packet loss on the path";
      break;
    default:  // kFinWait1, kLastAck
      f.cause = "fin_unacknowledged";
      f.why = "our FINs on " + port +
              " are not acknowledged: the peers are gone or packets are "
              "lost; orphans are retried " +
              Setting(s, "tcp_orphan_retries") + " times";
      f.check = "reachability of the peers, packet loss";
      break;
  }
}

void ExplainStall(Finding& f, const Snapshot& s) {
  const std::string port = PortsText(f);
  const std::string queued = std::to_string(f.bytes) + " bytes";
  if (f.kind == FindingKind::kUnread) {
    if (const ProcessSockets* halted = HaltedHolder(f)) {
      f.cause = "holder_stopped";
      f.why = Stopped(*halted) + ": nothing reads the " + queued +
              " received on " + port;
      f.check = "who stopped it; kill -CONT " + std::to_string(halted->pid) +
                " resumes it";
      return;
    }
    f.cause = "not_reading";
    f.why = Holder(f, "the program") + " does not read what it received on " +
            std::to_string(f.sockets) + " connections on " + port + " (" +
            queued + "): stuck or too slow";
    f.check = "a blocked event loop or lock, its CPU (top -H -p PID)";
    return;
  }
  if (f.kind == FindingKind::kPeerNotReading) {
    f.cause = "zero_window";
    f.why = "the peers on " + port +
            " advertise a zero window: they stopped reading what this "
            "side sends (" +
            queued + " wait here)";
    f.check =
        "the peer programs (slow consumers), and our sender's limits "
        "on what it buffers for them (redis: "
        "client-output-buffer-limit)";
    return;
  }
  if (f.detail * 2 >= f.sockets) {
    f.cause = "not_leaving";
    f.why = std::to_string(f.detail) + " connections on " + port +
            " have data to send while the peer's window is open and "
            "nothing is in flight: our segments never leave this host (" +
            queued +
            " wait); a local firewall (its OUTPUT chain) or qdisc "
            "drops them";
    f.check = "nft list ruleset (or iptables -S OUTPUT), tc qdisc show";
    return;
  }
  f.cause = "path_loss";
  f.why = "data sent on " + port + " is retransmitted and not acknowledged (" +
          queued +
          "): the peers are unreachable or the path drops packets; the "
          "kernel gives up after " +
          Setting(s, "tcp_retries2") + " retransmissions";
  f.check = "reachability of the peers, packet loss (RetransSegs)";
}

}  // namespace tcpstated
