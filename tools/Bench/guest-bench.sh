#!/usr/bin/env bash
# In-guest benchmarks: boots build/kernel.elf with `bench=SELECTION` under QEMU TCG with
# `-icount shift=0,sleep=off`, where the guest TSC advances by one per instruction, so every
# figure is an instruction count and repeats exactly from run to run. Prints the kernel's
# "bench:" lines. Not a test: nothing is asserted.
#   tools/Bench/guest-bench.sh [SELECTION] [MEMORY]     e.g. tools/Bench/guest-bench.sh buddy 256M
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
selection=${1:-all} mem=${2:-256M}
case "$selection" in *[!a-z0-9_.,]*) echo "guest-bench: selection may hold only a-z 0-9 _ . ," >&2; exit 2;; esac
kernel=$root/build/kernel.elf
[ -f "$kernel" ] || make -C "$root" image >/dev/null
iso=$(mktemp --suffix=.iso) log=$(mktemp)
trap 'rm -f "$iso" "$log"' EXIT
"$root/tools/mkimage.sh" "$kernel" "$iso" "bench=$selection quiet" >/dev/null
status=0
timeout 600 qemu-system-x86_64 -accel tcg -cpu max -m "$mem" -no-reboot -display none \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -icount shift=0,sleep=off -rtc clock=vm \
    -serial file:"$log" -cdrom "$iso" || status=$?
# Serial lines may start with a carriage return.
tr -d '\r' < "$log" | grep -a '^bench' || true
# isa-debug-exit: the kernel writes 0 after the last benchmark, which QEMU turns into status 1.
[ "$status" -eq 1 ] || { echo "guest-bench: QEMU ended with status $status (see the log above)" >&2; tail -n 20 "$log" >&2; exit 1; }
