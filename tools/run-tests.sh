#!/usr/bin/env bash
# The driver behind `make test`. Runs every test layer in order and sums them:
#   1. host unit tests: `dotnet test` on every tests/*.Tests project (counts from the trx file);
#   2. image-level scripts: every executable tests/image/*.sh, which print TAP;
#   3. the QEMU harness (tools/Harness): boot matrix + expected-failure boots.
# A layer that crashes, or whose exit status disagrees with its counts, adds one failure, so a
# broken layer can never look like a passing one. The very last line is exactly
# "N passed, M failed"; the exit status is non-zero when M > 0.
#
# Usage: tools/run-tests.sh [harness options...]   e.g. tools/run-tests.sh --only bios
# Extra arguments go to the harness (see tools/Harness/README.md).
set -uo pipefail   # no -e: a failing layer is counted, not a reason to stop the others

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1
results=build/test-results
mkdir -p "$results"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

total_passed=0
total_failed=0
summary=()   # one line per layer/part, printed before the total

# record NAME PASSED FAILED [NOTE]
record() {
    total_passed=$((total_passed + $2))
    total_failed=$((total_failed + $3))
    summary+=("$(printf '%-32s %5d passed, %3d failed%s' "$1" "$2" "$3" "${4:+  ($4)}")")
}

# attr FILE NAME: the integer value of NAME="..." on the trx Counters element, 0 if absent.
attr() {
    local v
    v=$(grep -o "<Counters [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | head -n1 | tr -dc '0-9')
    echo "${v:-0}"
}

# ---------------------------------------------------------------- 1. host unit tests
echo "== layer 1: host unit tests (dotnet test)"
[ -d tests/Kernel.Tests ] || echo "note: tests/Kernel.Tests does not exist yet; skipped"
for dir in tests/*.Tests; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir")
    csproj=$(find "$dir" -maxdepth 1 -name '*.csproj' | head -n1)
    if [ -z "$csproj" ]; then
        echo "note: $dir has no .csproj; skipped"
        continue
    fi
    out="$results/dotnet/$name"
    rm -rf "$out"
    mkdir -p "$out"
    echo "-- $name"
    dotnet test "$csproj" --nologo --logger "trx;LogFileName=results.trx" --results-directory "$out" 2>&1 \
        | tee "$out/output.log"
    rc=${PIPESTATUS[0]}
    trx="$out/results.trx"
    if [ ! -f "$trx" ]; then
        record "$name" 0 1 "no results: build or test host failed, exit $rc"
        continue
    fi
    passed=$(attr "$trx" passed)
    failed=$(( $(attr "$trx" failed) + $(attr "$trx" error) + $(attr "$trx" timeout) + $(attr "$trx" aborted) ))
    note=""
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        failed=1
        note="dotnet test exited $rc with no failed test"
    fi
    record "$name" "$passed" "$failed" "$note"
done

# ---------------------------------------------------------------- 2. image-level scripts (TAP)
echo "== layer 2: image-level scripts (tests/image/*.sh, TAP)"
for script in tests/image/*.sh; do
    [ -e "$script" ] || { echo "note: no tests/image/*.sh scripts"; break; }
    if [ ! -x "$script" ]; then
        echo "note: $script is not executable; skipped"
        continue
    fi
    name=image/$(basename "$script")
    log="$results/$(basename "$script" .sh).tap"
    echo "-- $name"
    "$script" </dev/null 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    # Only top-level TAP lines count; "ok ... # SKIP" is neither passed nor failed.
    ok=$(grep -Ec '^ok [0-9]+' "$log")
    skipped=$(grep -Eic '^ok [0-9]+[^#]*# *skip' "$log")
    notok=$(grep -Ec '^not ok [0-9]+' "$log")
    plan=$(grep -Eo '^1\.\.[0-9]+' "$log" | head -n1 | cut -d. -f3)
    passed=$((ok - skipped))
    failed=$notok
    notes=()
    if [ -z "$plan" ]; then
        failed=$((failed + 1)); notes+=("no TAP plan")
    elif [ "$plan" -ne $((ok + notok)) ]; then
        failed=$((failed + 1)); notes+=("plan 1..$plan but $((ok + notok)) results")
    fi
    if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
        failed=$((failed + 1)); notes+=("exited $rc with no 'not ok'")
    fi
    record "$name" "$passed" "$failed" "$(IFS=';'; echo "${notes[*]:-}")"
done

# ---------------------------------------------------------------- 3. QEMU harness
echo "== layer 3: QEMU harness (boot matrix, expected failures)"
harness_dll=tools/Harness/bin/Release/net10.0/Harness.dll
if ! dotnet build tools/Harness/Harness.csproj -c Release --nologo -v q >"$results/harness-build.log" 2>&1; then
    cat "$results/harness-build.log"
    record "harness" 0 1 "the harness did not build"
else
    log="$results/harness.log"
    dotnet "$harness_dll" all "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    counts=$(grep -E '^harness: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
    if [ -z "$counts" ]; then
        record "harness" 0 1 "no summary line: the harness crashed (exit $rc)"
    else
        passed=$(echo "$counts" | sed -E 's/^harness: ([0-9]+) passed.*/\1/')
        failed=$(echo "$counts" | sed -E 's/.* ([0-9]+) failed$/\1/')
        note=""
        if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
            failed=1
            note="harness exited $rc with no failure counted"
        fi
        record "harness" "$passed" "$failed" "$note"
    fi
fi

# ---------------------------------------------------------------- total
echo "== summary"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
