#!/usr/bin/env bash
# The null-syscall round trip: boots build/kernel.elf with init=/bin/bench_getppid N under
# QEMU TCG with `-icount shift=0,sleep=off`, where the guest TSC advances by one per
# instruction, so "ticks per call" is the instructions of one getppid SYSCALL + SYSRET round
# trip (user/bench_getppid.c subtracts its empty loop). Not a test: nothing is asserted.
# Linux in the same QEMU, running the same static binary, takes about 313-327 ticks.
#   tools/Bench/syscall-bench.sh [CALLS]       e.g. tools/Bench/syscall-bench.sh 100000
set -euo pipefail
calls=${1:-100000}
case "$calls" in *[!0-9]*|"") echo "syscall-bench: CALLS must be a number" >&2; exit 2;; esac
exec "$(dirname "${BASH_SOURCE[0]}")/user-bench.sh" syscall-bench bench_getppid "$calls"
