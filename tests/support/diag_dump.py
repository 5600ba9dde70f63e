"""Writing sock_diag dumps by hand, in the format `ss -t -a -D` records and
`collect.replay-dump` reads: one netlink message per socket (struct
inet_diag_msg, IPv4), then NLMSG_DONE. Used by the benchmarks and the
fleet test to make hosts no kernel needs to hold."""
import ipaddress
import struct

NLMSG_DONE, TCPDIAG_GETSOCK = 3, 18
ESTABLISHED, SYN_SENT, TIME_WAIT, CLOSE_WAIT, LISTEN = 1, 2, 6, 8, 10
TIMER_RETRANSMIT, TIMER_ZERO_WINDOW = 1, 4


def message(state, sport, dport, inode=0, timer=0, rqueue=0, wqueue=0,
            src="0.0.0.0", dst="0.0.0.0"):
    """One socket: its state, local and remote port and address, inode (0
    for a TIME_WAIT or request socket), kernel timer and queues (for a
    listener, the accept queue's length and limit)."""
    body = struct.pack("=BBBB", 2, state, timer, 0)  # AF_INET, retrans 0
    body += struct.pack(">HH", sport, dport)
    body += ipaddress.IPv4Address(src).packed + bytes(12)
    body += ipaddress.IPv4Address(dst).packed + bytes(12)
    body += bytes(4) + bytes(8)  # interface, cookie
    body += struct.pack("=IIIII", 0, rqueue, wqueue, 0, inode)  # expires..
    return struct.pack("=IHHII", 16 + len(body), TCPDIAG_GETSOCK, 2, 1, 0) + body


def done():
    """The message that ends a dump."""
    return struct.pack("=IHHIIi", 20, NLMSG_DONE, 2, 1, 0, 0)
