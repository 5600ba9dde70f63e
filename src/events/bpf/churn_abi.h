/* What the churn program (churn.bpf.c) and the daemon (churn_events.cc)
 * share: its map layouts. C, for both compilers; fixed-size fields only. */
#pragma once

#include <linux/types.h>

/* Keys of the churn map: how many it holds before events are lost (each
 * costs ~200 bytes of kernel memory, preallocated: 3.3 MB). */
#define CHURN_MAX_KEYS 16384

enum churn_direction { CHURN_INBOUND = 0, CHURN_OUTBOUND = 1 };
enum churn_closer {
  CHURN_CLOSED_HERE = 0,
  CHURN_CLOSED_THERE = 1,
  CHURN_RESET = 2,
  CHURN_CLOSERS = 3
};
enum churn_side { CHURN_BY_HERE = 0, CHURN_BY_THERE = 1, CHURN_SIDES = 2 };
enum churn_segment { CHURN_DATA = 0, CHURN_SYN = 1, CHURN_SEGMENTS = 2 };

/* Events the program saw but could not count on a port. */
enum churn_loss {
  CHURN_LOST_MAP_FULL = 0,   /* a new key found the churn map full */
  CHURN_UNTRACKED_CLOSE = 1, /* lifetimes on: closed with no start time */
  CHURN_UNPLACED = 2,        /* a reset or retransmit with no port to own it */
  CHURN_LOSSES = 3
};

/* Upper bounds of the lifetime buckets, in nanoseconds: 1 ms, 10 ms,
 * 100 ms, 1 s, 10 s, 1 min, 10 min, 1 h; a last bucket takes the rest. */
#define CHURN_LIFETIME_BOUNDS 8
#define CHURN_LIFETIME_BOUNDS_NS                                          \
  {                                                                       \
    1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL, \
        60000000000ULL, 600000000000ULL, 3600000000000ULL                 \
  }

/* Connections of one port of one network namespace. The port is the
 * local one for connections that began with a passive open (inbound), the
 * remote one for an active open (outbound), as the socket counts go. An
 * inbound key exists for every port that takes connections (a listener,
 * or a port that accepted one): closes on such a port are inbound. */
struct churn_key {
  __u32 netns; /* inode of the namespace */
  __u16 port;
  __u8 direction; /* enum churn_direction */
  __u8 zero;
};

/* Every field only grows (the daemon exports them as counters). */
struct churn_counts {
  __u64 opens;                 /* reached ESTABLISHED */
  __u64 closes[CHURN_CLOSERS]; /* left ESTABLISHED, by who ended it */
  __u64 failed_connects;       /* SYN_SENT to CLOSE */
  __u64 resets[CHURN_SIDES];   /* RST sent by here / received */
  __u64 retransmits[CHURN_SEGMENTS];
  __u64 lifetime[CHURN_LIFETIME_BOUNDS + 1]; /* ESTABLISHED to its end */
  __u64 lifetime_sum_ns;
};

/* Per socket, in socket-local storage (freed with the socket), when
 * lifetimes are measured. */
struct churn_socket {
  __u64 established_ns;
  __u8 open; /* counted as opened, its lifetime not yet */
};
