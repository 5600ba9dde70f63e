/* The few kernel types the churn program reads, declared by hand: with
 * preserve_access_index, libbpf relocates each field access to the running
 * kernel's layout (CO-RE), so the build needs no vmlinux.h and no BTF of
 * the build host. Only the fields read are declared. */
#pragma once

#include <linux/types.h>

#pragma clang attribute push(__attribute__((preserve_access_index)), \
                             apply_to = record)

struct ns_common {
  unsigned int inum;
};

struct net {
  struct ns_common ns;
};

typedef struct {
  struct net *net;
} possible_net_t;

struct sock_common {
  __be16 skc_dport;
  __u16 skc_num;
  unsigned short skc_family;
  volatile unsigned char skc_state;
  possible_net_t skc_net;
};

struct sock {
  struct sock_common __sk_common;
  __u16 sk_protocol;
};

/* The local port lives on here once a closing socket gave back its
 * port (inet_put_port zeroes skc_num at TCP_CLOSE). */
struct inet_sock {
  __be16 inet_sport;
};

struct sk_buff;
struct request_sock;

#pragma clang attribute pop

/* include/net/tcp_states.h */
enum {
  TCP_ESTABLISHED = 1,
  TCP_SYN_SENT = 2,
  TCP_SYN_RECV = 3,
  TCP_FIN_WAIT1 = 4,
  TCP_TIME_WAIT = 6,
  TCP_CLOSE = 7,
  TCP_CLOSE_WAIT = 8,
  TCP_LISTEN = 10,
  TCP_NEW_SYN_RECV = 12,
};

#define IPPROTO_TCP_NUMBER 6
