/* bare_count: the least work a sock_diag client can do, as a baseline for
 * the benchmark. One dump of every TCP socket, states counted from
 * idiag_state and nothing else read. No libmnl, no aggregation.
 *
 *   bare_count legacy       TCPDIAG_GETSOCK: both families in one walk
 *   bare_count per-family   SOCK_DIAG_BY_FAMILY for AF_INET, then AF_INET6
 */
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ALL_STATES (((1u << 13) - 1) & ~1u)

static unsigned long counts[16];

static int dump(int fd, int legacy, int family) {
  struct {
    struct nlmsghdr header;
    union {
      struct inet_diag_req legacy;
      struct inet_diag_req_v2 v2;
    } body;
  } request;
  memset(&request, 0, sizeof request);
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  if (legacy) {
    request.header.nlmsg_type = TCPDIAG_GETSOCK;
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(struct inet_diag_req));
    request.body.legacy.idiag_family = AF_INET;
    request.body.legacy.idiag_states = ALL_STATES;
  } else {
    request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(struct inet_diag_req_v2));
    request.body.v2.sdiag_family = (unsigned char)family;
    request.body.v2.sdiag_protocol = IPPROTO_TCP;
    request.body.v2.idiag_states = ALL_STATES;
  }
  if (send(fd, &request, request.header.nlmsg_len, 0) < 0) return -1;

  static char buffer[32768];
  for (;;) {
    ssize_t got = recv(fd, buffer, sizeof buffer, 0);
    if (got < 0) return -1;
    for (struct nlmsghdr* h = (struct nlmsghdr*)buffer; NLMSG_OK(h, got);
         h = NLMSG_NEXT(h, got)) {
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) return -1;
      struct inet_diag_msg* msg = NLMSG_DATA(h);
      counts[msg->idiag_state & 15]++;
    }
  }
}

int main(int argc, char** argv) {
  int legacy = argc < 2 || strcmp(argv[1], "per-family") != 0;
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    perror("socket");
    return 1;
  }
  int failed = legacy ? dump(fd, 1, AF_UNSPEC)
                      : (dump(fd, 0, AF_INET) || dump(fd, 0, AF_INET6));
  if (failed) {
    perror("dump");
    return 1;
  }
  unsigned long total = 0;
  for (int s = 0; s < 16; ++s) total += counts[s];
  printf("%lu\n", total);
  close(fd);
  return 0;
}
