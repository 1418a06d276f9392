#!/usr/bin/env bash
# The null-syscall round trip: boots build/kernel.elf with init=/bin/bench_getppid N under
# QEMU TCG with `-icount shift=0,sleep=off`, where the guest TSC advances by one per
# instruction, so "ticks per call" is the instructions of one getppid SYSCALL + SYSRET round
# trip (user/bench_getppid.c subtracts its empty loop). Not a test: nothing is asserted.
# Linux in the same QEMU, running the same static binary, takes about 313-327 ticks.
#   tools/Bench/syscall-bench.sh [CALLS]       e.g. tools/Bench/syscall-bench.sh 100000
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
calls=${1:-100000}
case "$calls" in *[!0-9]*|"") echo "syscall-bench: CALLS must be a number" >&2; exit 2;; esac
make -C "$root" image >/dev/null
iso=$(mktemp --suffix=.iso) log=$(mktemp)
trap 'rm -f "$iso" "$log"' EXIT
"$root/tools/mkimage.sh" "$root/build/kernel.elf" "$iso" "quiet init=/bin/bench_getppid $calls" "$root/build/initrd.cpio" >/dev/null
status=0
timeout 600 qemu-system-x86_64 -accel tcg -cpu max -m 256M -no-reboot -display none \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -icount shift=0,sleep=off -rtc clock=vm \
    -serial file:"$log" -cdrom "$iso" || status=$?
tr -d '\r' < "$log" | grep -a 'bench:' || true
# init exits 0 -> isa-debug-exit 0 -> QEMU status 1.
[ "$status" -eq 1 ] || { echo "syscall-bench: QEMU ended with status $status" >&2; tail -n 20 "$log" >&2; exit 1; }
