#!/usr/bin/env bash
# tests/image/irq-no-alloc.sh - TAP: interrupt handlers never allocate (docs/concurrency.md).
# Reads build/kernel.elf's machine code (objdump), follows every direct call from the interrupt
# entry (interrupt_dispatch: exceptions, IRQ routing, EOI, logging) and from every handler
# reached through a function pointer - by convention named OnInterrupt (IRQ handlers), OnTick
# (timer tick hooks) or OnReturnToUser (signal delivery after an interrupt) - and fails if any path reaches the runtime's allocation entry points
# (RhpNew*). A function known to allocate is checked too, so the walk is shown able to find one.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
elf=$root/build/kernel.elf
mapfile -t handlers < <(echo interrupt_dispatch; nm "$elf" | awk '$2 ~ /^[tT]$/ && $3 ~ /__On(Interrupt|Tick|ReturnToUser)$/ { print $3 }' | sort -u)
known_allocator=kernel_Kernel_Diagnostics_Testing_SuiteRegistry__Initialize

echo "1..$(( ${#handlers[@]} + 3 ))"
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

edges=$(objdump -d --no-show-raw-insn "$elf" 2>/dev/null | awk '
    /^[0-9a-f]+ <.*>:$/ { f = $2; gsub(/[<>:]/, "", f); next }
    f != "" && /[ \t]call[ \t]+[0-9a-f]+ </ { c = $NF; gsub(/[<>]/, "", c); sub(/\+0x[0-9a-f]+$/, "", c); print f, c }' | sort -u)
[ ${#handlers[@]} -ge 4 ]; ok $? "interrupt entry and at least the timer, keyboard and serial handlers found (${#handlers[@]})"
[ -n "$edges" ]; ok $? "objdump disassembled $elf into a call graph ($(wc -l <<<"$edges") direct calls)"

declare -A callees
while read -r caller callee; do callees[$caller]+="$callee "; done <<<"$edges"

# Prints the path to the first allocation reachable from $1, or nothing.
find_alloc() {
    local -A parent=(["$1"]="")
    local queue=("$1") f c
    while [ ${#queue[@]} -gt 0 ]; do
        f=${queue[0]}; queue=("${queue[@]:1}")
        if [[ $f == RhpNew* ]]; then
            local path=$f
            while [ -n "${parent[$f]}" ]; do f=${parent[$f]}; path="$f -> $path"; done
            echo "$path"; return
        fi
        for c in ${callees[$f]-}; do
            [ -n "${parent[$c]+x}" ] && continue
            parent[$c]=$f; queue+=("$c")
        done
    done
}

for h in "${handlers[@]}"; do
    if [ -z "${callees[$h]+x}" ] && ! grep -q " $h\$" <<<"$(nm "$elf")"; then ok 1 "$h exists"; continue; fi
    path=$(find_alloc "$h")
    [ -z "$path" ]; ok $? "$h reaches no allocation"
    [ -n "$path" ] && echo "# $path"
done
path=$(find_alloc "$known_allocator")
[ -n "$path" ]; ok $? "the walk finds the allocation in $known_allocator (${path:-none})"
