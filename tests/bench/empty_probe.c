/* The floor of bench_events.py's kernel timing: an empty program (return
 * 0) on the same tracepoint as the churn program, attached until this
 * process is killed. kernel.bpf_stats_enabled times every program run with
 * two clock reads, which on a virtual machine cost as much as a small
 * program; the empty program's time per run is that cost, subtracted from
 * the churn program's. Prints "ready" once attached.
 *   empty_probe
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  const int btf_id =
      libbpf_find_vmlinux_btf_id("inet_sock_set_state", BPF_TRACE_RAW_TP);
  if (btf_id < 0) {
    fprintf(stderr, "empty_probe: no BTF for inet_sock_set_state\n");
    return 1;
  }
  const struct bpf_insn return_zero[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, options,
              .expected_attach_type = BPF_TRACE_RAW_TP,
              .attach_btf_id = (__u32)btf_id);
  const int program = bpf_prog_load(BPF_PROG_TYPE_TRACING, "empty_probe", "GPL",
                                    return_zero, 2, &options);
  if (program < 0 || bpf_raw_tracepoint_open(NULL, program) < 0) {
    fprintf(stderr, "empty_probe: %s\n", strerror(errno));
    return 1;
  }
  printf("ready\n");
  fflush(stdout);
  pause();
  return 0;
}
