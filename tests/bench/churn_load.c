/* Connection churn at a set rate, for bench_events.py: each connection on
 * 127.0.0.1:PORT is accepted, closed by the server first (as a server
 * with keep-alive off does), its end of stream read by the client, and
 * closed by it. Paced in steps of 1 ms; prints the connections made and
 * the seconds taken.
 *   churn_load PORT RATE SECONDS      (RATE 0: as fast as it can)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char* what) {
  fprintf(stderr, "churn_load: %s: %s\n", what, strerror(errno));
  exit(1);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: churn_load PORT RATE SECONDS\n");
    return 2;
  }
  const int port = atoi(argv[1]);
  const double rate = atof(argv[2]);
  const double seconds = atof(argv[3]);
  struct sockaddr_in address = {.sin_family = AF_INET,
                                .sin_port = htons((unsigned short)port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listener, (struct sockaddr*)&address, sizeof address) != 0 ||
      listen(listener, 4096) != 0) {
    die("listen");
  }
  const double start = now();
  long made = 0;
  for (;;) {
    const double elapsed = now() - start;
    if (elapsed >= seconds) break;
    if (rate > 0 && made >= (long)(elapsed * rate)) {
      usleep(1000);
      continue;
    }
    const int client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(client, (struct sockaddr*)&address, sizeof address) != 0) {
      die("connect");
    }
    const int server = accept(listener, NULL, NULL);
    if (server < 0) die("accept");
    close(server);
    char byte;
    if (read(client, &byte, 1) != 0) die("read");
    close(client);
    ++made;
  }
  printf("%ld %.3f\n", made, now() - start);
  return 0;
}
