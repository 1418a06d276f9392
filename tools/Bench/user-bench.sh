#!/usr/bin/env bash
# Runs one benchmark user program as init under QEMU TCG with `-icount shift=0,sleep=off`, where
# the guest TSC advances by one per instruction, and prints its "bench:" lines. Not a test:
# nothing is asserted. Used by syscall-bench.sh and mm-bench.sh.
#   tools/Bench/user-bench.sh NAME PROGRAM ARGS...    e.g. user-bench.sh mm-bench bench_mm 2000
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
name=$1 program=$2
shift 2
make -C "$root" image >/dev/null
iso=$(mktemp --suffix=.iso) log=$(mktemp)
trap 'rm -f "$iso" "$log"' EXIT
"$root/tools/mkimage.sh" "$root/build/kernel.elf" "$iso" "quiet init=/bin/$program $*" "$root/build/initrd.cpio" >/dev/null
status=0
timeout 600 qemu-system-x86_64 -accel tcg -cpu max -m 256M -no-reboot -display none \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -icount shift=0,sleep=off -rtc clock=vm \
    -serial file:"$log" -cdrom "$iso" || status=$?
tr -d '\r' < "$log" | grep -a 'bench:' || true
# init exits 0 -> isa-debug-exit 0 -> QEMU status 1.
[ "$status" -eq 1 ] || { echo "$name: QEMU ended with status $status" >&2; tail -n 20 "$log" >&2; exit 1; }
