#!/usr/bin/env bash
# Memory-manager operations in instructions (-icount shift=0: one TSC tick per instruction),
# user side included: mmap+munmap of one page, demand-zero fault, zero-page read fault, mprotect
# split+merge, brk grow+shrink, fork+exit+wait with 1 MiB touched (user/bench_mm.c).
# Not a test: nothing is asserted. Linux figures: /work/shared/docs/memory-manager.md.
#   tools/Bench/mm-bench.sh [OPS]       e.g. tools/Bench/mm-bench.sh 2000
set -euo pipefail
ops=${1:-2000}
case "$ops" in *[!0-9]*|"") echo "mm-bench: OPS must be a number" >&2; exit 2;; esac
exec "$(dirname "${BASH_SOURCE[0]}")/user-bench.sh" mm-bench bench_mm "$ops"
