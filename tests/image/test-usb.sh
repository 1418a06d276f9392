#!/usr/bin/env bash
# shellcheck disable=SC2317  # helpers are called indirectly through check()
# tests/image/test-usb.sh - TAP tests for tools/usb/write-usb.sh
#
# Never touches a real disk: every "device" that could be real is probed with
# USB_WRITE_DRY_RUN=1 (the tool then prints the dd command instead of running
# it) and the refusal is asserted to happen before even that point. The only
# real write goes into a temporary regular file (USB_WRITE_ALLOW_FILE=1).
#
# Usage: tests/image/test-usb.sh        (no root needed, no build needed)

set -u
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tool=$root/tools/usb/write-usb.sh

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-usb.XXXXXX") || exit 1
trap 'rm -rf -- "$tmp"' EXIT

# Never let the caller's environment change the tool's behaviour.
unset CONFIRM USB_WRITE_ALLOW_FILE USB_WRITE_DRY_RUN

# ---------------------------------------------------------------- fixture --
if [ -f "$root/build/kernel.iso" ] && [ -s "$root/build/kernel.iso" ]; then
    image=$root/build/kernel.iso
else
    image=$tmp/fake.iso
    dd if=/dev/urandom of="$image" bs=64k count=4 status=none
fi
image_size=$(stat -c %s "$image")

# target: a regular file larger than the image, filled with a known pattern
target=$tmp/stick.img
make_target() { # make_target SIZE
    rm -f "$target"
    truncate -s "$1" "$target"
}
make_target $((image_size + 1024 * 1024))
sum() { cksum <"$1"; }

# ---------------------------------------------------------------- harness --
n=0
failed=0
out=""
rc=0

# run ENV... -- ARGS... : run the tool with stdin from /dev/null, capture
# stdout+stderr in $out and the exit status in $rc
run() {
    local -a envs=()
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
        envs+=("$1")
        shift
    done
    shift
    out=$(env "${envs[@]}" "$tool" "$@" </dev/null 2>&1)
    rc=$?
}

# check DESCRIPTION EXPECTED_RC REGEX [extra condition command...]
check() {
    local desc=$1 want_rc=$2 re=$3 ok=1
    shift 3
    n=$((n + 1))
    if [ "$rc" -ne "$want_rc" ]; then
        ok=0
        printf '# expected exit %s, got %s\n' "$want_rc" "$rc"
    fi
    if ! printf '%s\n' "$out" | grep -Eq -- "$re"; then
        ok=0
        printf '# output does not match /%s/\n' "$re"
    fi
    # The refusal must come before the point where dd (or its dry run) runs.
    if [ "$want_rc" -ne 0 ] && printf '%s\n' "$out" | grep -Eq 'DRY RUN|Writing |records out'; then
        ok=0
        printf '# tool reached the write step although it should have refused\n'
    fi
    if [ "$#" -gt 0 ] && ! "$@"; then
        ok=0
        printf '# extra condition failed: %s\n' "$*"
    fi
    if [ "$ok" = 1 ]; then
        printf 'ok %d - %s\n' "$n" "$desc"
    else
        failed=$((failed + 1))
        printf '%s\n' "$out" | sed 's/^/#   | /'
        printf 'not ok %d - %s\n' "$n" "$desc"
    fi
}

skip() { # skip DESCRIPTION REASON
    n=$((n + 1))
    printf 'ok %d - %s # SKIP %s\n' "$n" "$1" "$2"
}

unchanged() { [ "$(sum "$target")" = "$target_sum" ]; }

# A real partition, if the machine has one (e.g. /dev/vda1, /dev/sda1).
real_part=""
if command -v lsblk >/dev/null 2>&1; then
    real_part=$(lsblk -nrpo NAME,TYPE 2>/dev/null | awk '$2 == "part" { print $1; exit }')
fi
# The disk that holds / (resolved through findmnt + lsblk PKNAME).
root_disk=""
if command -v findmnt >/dev/null 2>&1; then
    rsrc=$(findmnt -nvo SOURCE / 2>/dev/null)
    if [ -n "$rsrc" ] && [ -b "$rsrc" ]; then
        root_disk=$(lsblk -nspro NAME,TYPE "$rsrc" 2>/dev/null | awk '$2 == "disk" { print $1; exit }')
    fi
fi

echo "1..20"

target_sum=$(sum "$target")

# 1-2: regular files are not devices
run CONFIRM=yes USB_WRITE_DRY_RUN=1 -- "$target" "$image"
check "refuses a regular file without USB_WRITE_ALLOW_FILE" 2 'refusing: .*regular file' unchanged

mkdir -p "$tmp/fake"
cp "$target" "$tmp/fake/nvme0n1p2"
run CONFIRM=yes USB_WRITE_DRY_RUN=1 -- "$tmp/fake/nvme0n1p2" "$image"
check "refuses a regular file named like a partition (nvme0n1p2)" 2 'refusing: .*regular file.*partition'

# 3-4: character devices, even with the test escape hatch
run CONFIRM=yes USB_WRITE_DRY_RUN=1 -- /dev/null "$image"
check "refuses a character device (/dev/null)" 2 'refusing: .*/dev/null.*character device'

run CONFIRM=yes USB_WRITE_ALLOW_FILE=1 -- /dev/zero "$image"
check "refuses a character device (/dev/zero) even with USB_WRITE_ALLOW_FILE=1" 2 'refusing: .*/dev/zero.*character device'

# 5: a fake partition path that does not exist
run CONFIRM=yes USB_WRITE_DRY_RUN=1 -- "$tmp/fake/sdz1" "$image"
check "refuses a non-existent fake partition path (.../sdz1)" 2 'refusing: .*sdz1.*does not exist.*partition' \
    test ! -e "$tmp/fake/sdz1"

# 6: a real partition on this machine
if [ -n "$real_part" ]; then
    run CONFIRM=yes USB_WRITE_DRY_RUN=1 -- "$real_part" "$image"
    check "refuses the real partition $real_part" 2 "refusing: .*(partition|running system|mounted)"
else
    skip "refuses a real partition" "no partition on this machine"
fi

# 7: the disk holding /
if [ -n "$root_disk" ]; then
    run CONFIRM=yes USB_WRITE_DRY_RUN=1 -- "$root_disk" "$image"
    check "refuses the disk holding / ($root_disk)" 2 "refusing: .*(running system|mounted|partition)"
else
    skip "refuses the disk holding /" "/ is not on a visible block device"
fi

# 8: a block device that is neither removable nor USB (any whole disk that is
#    not the root disk, e.g. zram0), or else the root disk again
other_disk=$(lsblk -dnrpo NAME,TYPE,RM,HOTPLUG,TRAN 2>/dev/null |
    awk -v r="$root_disk" '$2 == "disk" && $3 == "0" && $4 == "0" && $5 != "usb" && $1 != r { print $1; exit }')
if [ -n "$other_disk" ] && [ -b "$other_disk" ] &&
    ! lsblk -nro MOUNTPOINTS "$other_disk" 2>/dev/null | grep -q . &&
    ! grep -q "^$other_disk " /proc/swaps 2>/dev/null; then
    run CONFIRM=yes USB_WRITE_DRY_RUN=1 -- "$other_disk" "$image"
    check "refuses a non-removable, non-USB disk ($other_disk)" 2 "refusing: .*(not a removable|running system|mounted)"
else
    skip "refuses a non-removable, non-USB disk" "no suitable unmounted fixed disk"
fi

# 9: missing device
run CONFIRM=yes USB_WRITE_DRY_RUN=1 -- "$tmp/no-such-device" "$image"
check "refuses a missing device" 2 'refusing: .*no-such-device.*does not exist'

# 10: missing image
run CONFIRM=yes USB_WRITE_ALLOW_FILE=1 -- "$target" "$tmp/no-such.iso"
check "refuses a missing image" 2 'refusing: image .*no-such.iso.*does not exist' unchanged

# 11: wrong argument count
run -- "$target"
check "refuses a wrong number of arguments (usage)" 2 '^usage: ' unchanged

# 12: no confirmation when stdin is not a terminal
run USB_WRITE_ALLOW_FILE=1 -- "$target" "$image"
check "refuses without CONFIRM=yes when stdin is not a terminal" 2 'refusing: stdin is not a terminal' unchanged

# 13: CONFIRM set to anything but yes is no confirmation
run USB_WRITE_ALLOW_FILE=1 CONFIRM=y -- "$target" "$image"
check "CONFIRM=y (not exactly yes) is not a confirmation" 2 'refusing: stdin is not a terminal' unchanged

# 14-15: interactive answers through a pseudo-terminal (util-linux script)
pty_run() { # pty_run ANSWER -> runs the tool on a pty, answer on its stdin
    local cmd
    cmd=$(printf '%q ' env USB_WRITE_ALLOW_FILE=1 "$tool" "$target" "$image")
    out=$(printf '%s\n' "$1" | SHELL=/bin/sh script -qec "$cmd" /dev/null 2>&1)
    rc=$?
}
if command -v script >/dev/null 2>&1; then
    prompted_and_unchanged() {
        printf '%s\n' "$out" | grep -q 'Type yes to overwrite .*stick\.img:' && unchanged
    }
    pty_run no
    check "aborts (exit 1) when the answer is \"no\"" 1 'aborted, nothing written' prompted_and_unchanged

    pty_run YES
    check "aborts when the answer is \"YES\" (only exact yes counts)" 1 'aborted, nothing written' prompted_and_unchanged
else
    skip "aborts (exit 1) when the answer is \"no\"" "script(1) not available"
    skip "aborts when the answer is \"YES\"" "script(1) not available"
fi

# 16: dry run on a file target does not write
run USB_WRITE_ALLOW_FILE=1 CONFIRM=yes USB_WRITE_DRY_RUN=1 -- "$target" "$image"
check "USB_WRITE_DRY_RUN=1 prints the dd command and writes nothing" 0 'DRY RUN.*dd if=.* of=.*conv=fsync' unchanged

# 17: the real write into a regular file
target_size_before=$(stat -c %s "$target")
written_ok() {
    cmp -s -n "$image_size" "$image" "$target" &&
        [ "$(stat -c %s "$target")" = "$target_size_before" ]
}
run USB_WRITE_ALLOW_FILE=1 CONFIRM=yes -- "$target" "$image"
check "writes the image into a regular file (USB_WRITE_ALLOW_FILE=1 CONFIRM=yes); cmp equal, size kept" 0 \
    "Done: .* written to .*stick\.img" written_ok

# 18: the interactive path: answering "yes" on a terminal writes
make_target $((image_size + 4096))
target_size_before=$(stat -c %s "$target")
if command -v script >/dev/null 2>&1; then
    pty_run yes
    prompted_and_written() {
        printf '%s\n' "$out" | grep -q 'Type yes to overwrite .*stick\.img:' && written_ok
    }
    check "writes after the answer \"yes\" on a terminal; cmp equal" 0 'Done: .* written to .*stick\.img' prompted_and_written
else
    skip "writes after the answer \"yes\" on a terminal" "script(1) not available"
fi

# 19: image larger than the target
make_target $((image_size - 1))
target_sum=$(sum "$target")
run USB_WRITE_ALLOW_FILE=1 CONFIRM=yes -- "$target" "$image"
check "refuses an image larger than the target" 2 'refusing: .*larger than' unchanged

# 20: image and target the same file
run USB_WRITE_ALLOW_FILE=1 CONFIRM=yes -- "$image" "$image"
check "refuses when image and target are the same file" 2 'refusing: .*same file'

if [ "$failed" -ne 0 ]; then
    printf '# %d of %d tests failed\n' "$failed" "$n"
    exit 1
fi
exit 0
