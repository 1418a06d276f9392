#!/usr/bin/env bash
# tests/image/bench-smoke.sh - TAP: the in-guest benchmarks still run to the end.
# Boots build/kernel.elf with bench=all,nosuch through tools/Bench/guest-bench.sh and checks
# that every benchmark registered in BenchRegistry.cs printed a figure, that the unknown name
# was reported, and that the kernel left QEMU with the success status. The figures themselves
# are never judged (benchmarks report, tests judge behaviour).
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
registry=$root/kernel/Diagnostics/Benchmarks/BenchRegistry.cs
mapfile -t names < <(grep -o 'new Benchmark("[a-z0-9_.]*"' "$registry" | sed 's/.*("//; s/"$//')

echo "1..$(( ${#names[@]} + 3 ))"
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

out=$("$root/tools/Bench/guest-bench.sh" all,nosuch 2>&1); status=$?
ok "$status" "guest-bench.sh exits 0 (kernel reached the end and left QEMU with success)"
[ "${#names[@]}" -gt 0 ]; ok $? "BenchRegistry.cs names benchmarks (${#names[@]})"
for name in "${names[@]}"; do
    grep -Eq "^bench: $name [0-9]+\.[0-9]{2} ticks/op \(" <<<"$out"; ok $? "$name printed a figure"
done
grep -q "^bench: nothing named 'nosuch'" <<<"$out"; ok $? "an unknown benchmark name is reported"
[ $n -eq $(( ${#names[@]} + 3 )) ] || echo "# plan mismatch"
grep '^bench' <<<"$out" | sed 's/^/# /'
