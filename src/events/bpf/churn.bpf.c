/* Connection churn per network namespace, direction and port, counted in
 * the kernel from TCP's own state changes (sock:inet_sock_set_state) and
 * its reset and retransmit tracepoints. BTF-typed tracepoints (tp_btf):
 * the arguments are read directly, without a helper call per field. The
 * daemon reads the maps; nothing is sent per event. */
// libbpf's headers need the kernel's types first.
// clang-format off
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
// clang-format on

#include "churn_abi.h"
#include "kernel_types.h"

/* The tracing helpers used here are GPL-only. */
char LICENSE[] SEC("license") = "GPL";

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, CHURN_MAX_KEYS);
  __type(key, struct churn_key);
  __type(value, struct churn_counts);
} churn SEC(".maps");

/* Set before loading: whether connections' lifetimes are measured
 * (events.lifetime-ports > 0). Each needs socket-local storage, whose
 * allocation costs more than all the rest together; without it the
 * verifier drops that code. */
const volatile __u8 track_lifetimes = 1;

/* Written by the daemon while it watches one network namespace (0: all):
 * events of the others are passed over. */
volatile __u32 only_netns;

/* Where a connection began and when; lives and dies with its socket. */
struct {
  __uint(type, BPF_MAP_TYPE_SK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct churn_socket);
} sockets SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, CHURN_LOSSES);
  __type(key, __u32);
  __type(value, __u64);
} losses SEC(".maps");

static const struct churn_counts kNoCounts;
static const __u64 kLifetimeBoundsNs[CHURN_LIFETIME_BOUNDS] =
    CHURN_LIFETIME_BOUNDS_NS;

static __always_inline void lose(__u32 what) {
  __u64 *n = bpf_map_lookup_elem(&losses, &what);
  if (n) *n += 1; /* per CPU: no other writer */
}

/* The key of `sk`'s namespace, `direction` and `port`. */
static __always_inline struct churn_key key_of(const struct sock *sk,
                                               __u8 direction, __u16 port) {
  struct churn_key key = {
      .netns = sk->__sk_common.skc_net.net->ns.inum,
      .port = port,
      .direction = direction,
  };
  return key;
}

/* The counts of `sk`'s namespace, `direction` and `port`, made on first
 * use; NULL (and counted) when the map is full. */
static __always_inline struct churn_counts *counts_of(const struct sock *sk,
                                                      __u8 direction,
                                                      __u16 port) {
  const struct churn_key key = key_of(sk, direction, port);
  struct churn_counts *counts = bpf_map_lookup_elem(&churn, &key);
  if (counts) return counts;
  /* EEXIST: another CPU made it meanwhile; then the lookup finds it. */
  bpf_map_update_elem(&churn, &key, &kNoCounts, BPF_NOEXIST);
  counts = bpf_map_lookup_elem(&churn, &key);
  if (!counts) lose(CHURN_LOST_MAP_FULL);
  return counts;
}

static __always_inline int watched(const struct sock *sk) {
  return only_netns == 0 || sk->__sk_common.skc_net.net->ns.inum == only_netns;
}

static __always_inline void add(__u64 *counter, __u64 n) {
  __sync_fetch_and_add(counter, n);
}

/* The counts a connection of `sk` adds to, as the socket counts have it:
 * in on a port that takes connections (one with inbound counts: it
 * listens, or accepted one since the program started; the daemon adds the
 * listeners it sees), by its local port; else out, by the remote port. */
static __always_inline struct churn_counts *counts_of_connection(
    const struct sock *sk) {
  __u16 local = sk->__sk_common.skc_num;
  if (local == 0) { /* closed, its port given back: inet_sport has it */
    local = bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
  }
  const struct churn_key in = key_of(sk, CHURN_INBOUND, local);
  struct churn_counts *counts = bpf_map_lookup_elem(&churn, &in);
  if (counts) return counts;
  return counts_of(sk, CHURN_OUTBOUND, bpf_ntohs(sk->__sk_common.skc_dport));
}

/* The counts a reset or retransmit of `sk` adds to: by its state while it
 * connects or listens, else as its connection goes; NULL for a TIME_WAIT
 * socket (which way it went is no longer known) or a full map. */
static __always_inline struct churn_counts *counts_of_segment(
    const struct sock *sk) {
  const unsigned char state = sk->__sk_common.skc_state;
  if (state == TCP_SYN_SENT) {
    return counts_of(sk, CHURN_OUTBOUND, bpf_ntohs(sk->__sk_common.skc_dport));
  }
  if (state == TCP_LISTEN || state == TCP_NEW_SYN_RECV ||
      state == TCP_SYN_RECV) {
    return counts_of(sk, CHURN_INBOUND, sk->__sk_common.skc_num);
  }
  if (state == TCP_TIME_WAIT) return NULL;
  return counts_of_connection(sk);
}

static __always_inline void opened(const struct sock *sk, __u8 direction,
                                   __u16 port) {
  struct churn_counts *counts = counts_of(sk, direction, port);
  if (counts) add(&counts->opens, 1);
  if (!track_lifetimes) return;
  struct churn_socket *s = bpf_sk_storage_get(&sockets, (struct sock *)sk, 0,
                                              BPF_SK_STORAGE_GET_F_CREATE);
  if (!s) return; /* no memory: its close will count as untracked */
  s->established_ns = bpf_ktime_get_ns();
  s->open = 1;
}

static __always_inline void closed(const struct sock *sk, __u32 closer) {
  struct churn_counts *counts = counts_of_connection(sk);
  if (!counts) return;
  if (closer < CHURN_CLOSERS) add(&counts->closes[closer], 1);
  if (!track_lifetimes) return;
  struct churn_socket *s =
      bpf_sk_storage_get(&sockets, (struct sock *)sk, 0, 0);
  if (!s || !s->open) {
    lose(CHURN_UNTRACKED_CLOSE);
    return;
  }
  s->open = 0;
  const __u64 lifetime = bpf_ktime_get_ns() - s->established_ns;
  __u32 bucket = 0;
#pragma unroll
  for (int i = 0; i < CHURN_LIFETIME_BOUNDS; i++) {
    if (lifetime > kLifetimeBoundsNs[i]) bucket = i + 1;
  }
  if (bucket <= CHURN_LIFETIME_BOUNDS) add(&counts->lifetime[bucket], 1);
  add(&counts->lifetime_sum_ns, lifetime);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_state_change, const struct sock *sk, int oldstate,
             int newstate) {
  if (sk->sk_protocol != IPPROTO_TCP_NUMBER || !watched(sk)) return 0;
  if (newstate == TCP_LISTEN) { /* a port that takes connections */
    counts_of(sk, CHURN_INBOUND, sk->__sk_common.skc_num);
    return 0;
  }
  if (newstate == TCP_ESTABLISHED) {
    if (oldstate == TCP_SYN_SENT) {
      opened(sk, CHURN_OUTBOUND, bpf_ntohs(sk->__sk_common.skc_dport));
    } else if (oldstate == TCP_SYN_RECV) {
      opened(sk, CHURN_INBOUND, sk->__sk_common.skc_num);
    }
    return 0;
  }
  if (oldstate == TCP_ESTABLISHED) {
    if (newstate == TCP_FIN_WAIT1)
      closed(sk, CHURN_CLOSED_HERE);
    else if (newstate == TCP_CLOSE_WAIT)
      closed(sk, CHURN_CLOSED_THERE);
    else if (newstate == TCP_CLOSE)
      closed(sk, CHURN_RESET);
    return 0;
  }
  if (oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE) {
    struct churn_counts *counts =
        counts_of(sk, CHURN_OUTBOUND, bpf_ntohs(sk->__sk_common.skc_dport));
    if (counts) add(&counts->failed_connects, 1);
  }
  return 0;
}

static __always_inline void count_reset(const struct sock *sk, __u32 side) {
  if (sk && !watched(sk)) return;
  struct churn_counts *counts = sk ? counts_of_segment(sk) : NULL;
  if (!counts) {
    lose(CHURN_UNPLACED);
    return;
  }
  if (side < CHURN_SIDES) add(&counts->resets[side], 1);
}

/* sk: NULL for a segment no socket owns; else full, request or timewait. */
SEC("tp_btf/tcp_send_reset")
int BPF_PROG(on_reset_sent, const struct sock *sk) {
  count_reset(sk, CHURN_BY_HERE);
  return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(on_reset_received, const struct sock *sk) {
  count_reset(sk, CHURN_BY_THERE);
  return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(on_retransmit, const struct sock *sk) {
  if (!watched(sk)) return 0;
  struct churn_counts *counts = counts_of_segment(sk);
  if (!counts) {
    lose(CHURN_UNPLACED);
    return 0;
  }
  const __u32 segment =
      sk->__sk_common.skc_state == TCP_SYN_SENT ? CHURN_SYN : CHURN_DATA;
  if (segment < CHURN_SEGMENTS) add(&counts->retransmits[segment], 1);
  return 0;
}

/* sk: the listener whose handshake's SYN-ACK went again. */
SEC("tp_btf/tcp_retransmit_synack")
int BPF_PROG(on_synack_retransmit, const struct sock *sk) {
  if (!watched(sk)) return 0;
  struct churn_counts *counts =
      counts_of(sk, CHURN_INBOUND, sk->__sk_common.skc_num);
  if (counts) add(&counts->retransmits[CHURN_SYN], 1);
  return 0;
}
