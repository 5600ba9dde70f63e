/* measure_exec: runs a command and prints "wall user sys maxrss_kib".
 *
 * The command's stdout goes to /dev/null. A benchmark driver in Python cannot
 * use its own fork+exec for this: the kernel carries the forked interpreter's
 * RSS high-water mark across exec into ru_maxrss. This process is small, so the
 * figure is the command's. ru_maxrss covers the command and every child it
 * waited for (a pipeline under sh -c reports its largest member).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv) {
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: measure_exec COMMAND [ARG...]\n");
    return 2;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    /* The command's output is not part of the measurement. */
    int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, STDOUT_FILENO);
    execvp(argv[1], argv + 1);
    perror("execvp");
    _exit(127);
  }
  int status;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double wall = (double)(end.tv_sec - start.tv_sec) +
                (double)(end.tv_nsec - start.tv_nsec) / 1e9;
  printf("%.6f %.6f %.6f %ld\n", wall, seconds(usage.ru_utime),
         seconds(usage.ru_stime), usage.ru_maxrss);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
