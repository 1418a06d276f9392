#!/usr/bin/env bash
# write-usb.sh DEVICE IMAGE
#
# Write the hybrid (BIOS+UEFI, CD+USB) kernel image to a USB stick.
# Backs `make usb DEVICE=/dev/sdX [CONFIRM=yes]`.
#
# The tool is deliberately paranoid: it refuses (exit 2, one line on stderr,
# nothing written) unless DEVICE is an existing, removable, unmounted
# whole-disk block device that does not hold any part of the running system
# and is large enough for IMAGE.
#
# Exit codes:
#   0  image written (or, with USB_WRITE_DRY_RUN=1, the write was only shown)
#   1  aborted: the confirmation answer was not "yes"
#   2  refused: a safety check failed or the arguments are wrong
#   3  the write itself (dd or sync) failed
#
# Environment:
#   CONFIRM=yes             do not ask; overwrite without a prompt
#   USB_WRITE_DRY_RUN=1     do every check, then print the dd command instead
#                           of running it
#   USB_WRITE_ALLOW_FILE=1  FOR TESTS ONLY: allow DEVICE to be an existing
#                           regular file (an image file standing in for a
#                           stick). It is treated like a device of the file's
#                           current size; it is never created or grown.
#                           Never needed for real sticks.

set -u
set -o pipefail
export LC_ALL=C

prog=${0##*/}

refuse() {
    printf '%s: refusing: %s\n' "$prog" "$*" >&2
    exit 2
}

human() {
    # human BYTES -> "1.9 GiB (2004877312 bytes)"
    local b=$1
    if command -v numfmt >/dev/null 2>&1; then
        printf '%s (%s bytes)' "$(numfmt --to=iec-i --suffix=B --format=%.1f "$b")" "$b"
    else
        printf '%s bytes' "$b"
    fi
}

if [ "$#" -ne 2 ]; then
    printf 'usage: %s DEVICE IMAGE   (e.g. %s /dev/sdb build/kernel.iso)\n' "$prog" "$prog" >&2
    exit 2
fi

device=$1
image=$2

[ -n "$device" ] || refuse "no DEVICE given (use e.g. make usb DEVICE=/dev/sdX)"
[ -n "$image" ] || refuse "no IMAGE given"

# A name that merely looks like a partition gets an extra hint in messages.
part_hint=""
case "${device##*/}" in
    sd[a-z]*[0-9] | hd[a-z]*[0-9] | vd[a-z]*[0-9] | xvd[a-z]*[0-9] | \
        nvme*n*p[0-9]* | mmcblk*p[0-9]* | loop*p[0-9]*)
        part_hint=" (the name looks like a partition; pass the whole disk, e.g. /dev/sdX, not /dev/sdX1)"
        ;;
esac

# ---------------------------------------------------------------- image ----
if [ ! -e "$image" ]; then
    refuse "image '$image' does not exist (run make first)"
fi
if [ ! -f "$image" ]; then
    refuse "image '$image' is not a regular file"
fi
if [ ! -r "$image" ]; then
    refuse "image '$image' is not readable"
fi
image_size=$(stat -L -c %s -- "$image") || refuse "cannot stat image '$image'"
if [ "$image_size" -le 0 ]; then
    refuse "image '$image' is empty"
fi

# --------------------------------------------------------------- device ----
if [ ! -e "$device" ] && [ ! -L "$device" ]; then
    refuse "device '$device' does not exist${part_hint}"
fi
if [ ! -e "$device" ]; then
    refuse "device '$device' is a dangling symlink"
fi
if [ -c "$device" ]; then
    refuse "'$device' is a character device, not a block device (a USB stick is e.g. /dev/sdX)"
fi

mode=""
if [ -f "$device" ]; then
    if [ "${USB_WRITE_ALLOW_FILE:-}" = "1" ]; then
        mode="file"
    else
        refuse "'$device' is a regular file, not a block device${part_hint}"
    fi
elif [ -b "$device" ]; then
    mode="block"
else
    refuse "'$device' is not a block device${part_hint}"
fi

# ---- helpers for block devices (sysfs is authoritative, lsblk cross-checks)

# devno PATH -> "MAJ:MIN" (decimal) of a block device node
devno() {
    local hex
    hex=$(stat -L -c '%t %T' -- "$1" 2>/dev/null) || return 1
    # shellcheck disable=SC2086
    set -- $hex
    printf '%d:%d\n' "0x$1" "0x$2"
}

# ancestors SYSDIR -> MAJ:MIN of SYSDIR's device and of every device it is
# built on (partition -> its disk, dm/md/loop -> their slaves), recursively.
ancestors() {
    local dir=$1 depth=${2:-0} s
    [ "$depth" -lt 16 ] || return 0
    [ -r "$dir/dev" ] && cat -- "$dir/dev"
    if [ -e "$dir/partition" ]; then
        ancestors "$(readlink -f -- "$dir/..")" $((depth + 1))
    fi
    if [ -d "$dir/slaves" ]; then
        for s in "$dir"/slaves/*; do
            [ -e "$s" ] || continue
            ancestors "$(readlink -f -- "$s")" $((depth + 1))
        done
    fi
}

# parse_mountinfo_line LINE -> sets mi_devno, mi_mnt, mi_src
parse_mountinfo_line() {
    local -a f
    local i
    read -r -a f <<<"$1"
    mi_devno=${f[2]:-} mi_mnt=${f[4]:-} mi_src=""
    for ((i = 6; i < ${#f[@]}; i++)); do
        if [ "${f[i]}" = "-" ]; then
            mi_src=${f[i + 2]:-}
            break
        fi
    done
}

# tag KIND WHAT: append "<TAB>KIND<TAB>WHAT" to every MAJ:MIN line on stdin
tag() {
    local dn
    while IFS= read -r dn; do
        [ -n "$dn" ] && printf '%s\t%s\t%s\n' "$dn" "$1" "$2"
    done
}

# system_devnos -> lines "MAJ:MIN<TAB>KIND<TAB>WHAT" for every block device
# that backs a mounted filesystem or active swap, including the disks
# underneath them (partition -> disk, dm/md -> slaves; lsblk -s = PKNAME
# chain). KIND is "core" for /, /boot, /boot/efi, /usr, /var, /home,
# "swap" for swap and "other" for any other mounted filesystem.
system_devnos() {
    local mnt src dn sysd what kind line
    # mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPER
    while IFS= read -r line; do
        parse_mountinfo_line "$line"
        dn=$mi_devno mnt=$mi_mnt src=$mi_src
        case "$mnt" in
            / | /boot | /boot/efi | /efi | /usr | /var | /home) kind=core ;;
            *) kind=other ;;
        esac
        what="$mnt is mounted from ${src:-$dn}"
        sysd=/sys/dev/block/$dn
        if [ -e "$sysd" ]; then
            ancestors "$(readlink -f -- "$sysd")" | tag "$kind" "$what"
        fi
        case "$src" in
            /dev/*)
                if [ -b "$src" ]; then
                    dn=$(devno "$src") || continue
                    sysd=/sys/dev/block/$dn
                    if [ -e "$sysd" ]; then
                        ancestors "$(readlink -f -- "$sysd")" | tag "$kind" "$what"
                    fi
                    # lsblk -s walks the same chain (PKNAME/slaves); union it in.
                    lsblk -nsro MAJ:MIN -- "$src" 2>/dev/null | tag "$kind" "$what"
                fi
                ;;
        esac
    done </proc/self/mountinfo
    # active swap areas (a swap file lives on a mounted filesystem: covered above)
    if [ -r /proc/swaps ]; then
        while read -r src _; do
            [ "$src" = "Filename" ] && continue
            [ -b "$src" ] || continue
            dn=$(devno "$src") || continue
            sysd=/sys/dev/block/$dn
            if [ -e "$sysd" ]; then
                ancestors "$(readlink -f -- "$sysd")" | tag swap "swap is on $src"
            fi
            lsblk -nsro MAJ:MIN -- "$src" 2>/dev/null | tag swap "swap is on $src"
        done </proc/swaps
    fi
}

# system_hit DEVNO KIND -> the first description of KIND that DEVNO backs
system_hit() {
    printf '%s\n' "$sysmap" | awk -F '\t' -v d="$1" -v k="$2" '$1 == d && $2 == k { print $3; exit }'
}

# mounted_in_tree DEVNAME -> prints a description of the first mount/swap found
# on the device or on any partition/holder below it; returns 0 if one is found.
mounted_in_tree() {
    local dev=$1 node mp dn line src mnt
    local -a nodes=()
    mapfile -t nodes < <(lsblk -nrpo NAME -- "$dev" 2>/dev/null)
    [ "${#nodes[@]}" -gt 0 ] || nodes=("$dev")
    # partitions known to sysfs even if lsblk missed them
    for node in /sys/class/block/"${dev##*/}"/"${dev##*/}"*; do
        [ -e "$node/partition" ] && nodes+=("/dev/${node##*/}")
    done
    for node in "${nodes[@]}"; do
        mp=$(lsblk -nro MOUNTPOINTS -- "$node" 2>/dev/null | sed '/^$/d' | head -n1)
        if [ -z "$mp" ]; then
            mp=$(lsblk -ndro MOUNTPOINT -- "$node" 2>/dev/null | sed '/^$/d' | head -n1)
        fi
        if [ -n "$mp" ]; then
            printf '%s is mounted on %s' "$node" "$mp"
            return 0
        fi
        [ -b "$node" ] || continue
        dn=$(devno "$node") || continue
        while IFS= read -r line; do
            parse_mountinfo_line "$line"
            mnt=$mi_mnt src=$mi_src
            if [ "$mi_devno" = "$dn" ]; then
                printf '%s is mounted on %s' "$node" "$mnt"
                return 0
            fi
            case "$src" in
                /dev/*)
                    if [ -b "$src" ] && [ "$(devno "$src")" = "$dn" ]; then
                        printf '%s is mounted on %s' "$node" "$mnt"
                        return 0
                    fi
                    ;;
            esac
        done </proc/self/mountinfo
        if [ -r /proc/swaps ]; then
            while read -r src _; do
                if [ -b "$src" ] && [ "$(devno "$src")" = "$dn" ]; then
                    printf '%s is in use as swap' "$node"
                    return 0
                fi
            done </proc/swaps
        fi
    done
    return 1
}

# -------------------------------------------------------- block checks ----
target=$device
model="regular file (USB_WRITE_ALLOW_FILE=1, test mode)"
if [ "$mode" = block ]; then
    command -v lsblk >/dev/null 2>&1 || refuse "lsblk (util-linux) is required to check '$device'"

    dev_no=$(devno "$device") || refuse "cannot read the device number of '$device'"
    sysdir=/sys/dev/block/$dev_no
    [ -e "$sysdir" ] || refuse "'$device' ($dev_no) is not known to /sys/dev/block; cannot verify it is safe"
    sysdir=$(readlink -f -- "$sysdir")
    name=${sysdir##*/}
    target=/dev/$name
    shown=$device
    [ "$target" = "$device" ] || shown="$device ($target)"

    # 1. whole disk, not a partition (sysfs + lsblk TYPE, not the name)
    if [ -e "/sys/class/block/$name/partition" ] || [ -e "$sysdir/partition" ]; then
        parent=$(readlink -f -- "$sysdir/..")
        refuse "$shown is a partition, not a whole disk; use /dev/${parent##*/} instead"
    fi
    dtype=$(lsblk -ndro TYPE -- "$device" 2>/dev/null | head -n1)
    if [ -z "$dtype" ]; then
        refuse "lsblk cannot describe $shown; cannot verify it is a whole disk"
    fi
    if [ "$dtype" != disk ]; then
        pk=$(lsblk -ndro PKNAME -- "$device" 2>/dev/null | head -n1)
        refuse "$shown is not a whole-disk device (lsblk TYPE=$dtype${pk:+, parent /dev/$pk})"
    fi
    if [ ! -d "/sys/block/$name" ]; then
        refuse "$shown is not listed in /sys/block, so it is not a whole disk"
    fi

    # 2. does not hold the running system (/, /boot, swap), is not mounted
    #    (nor any of its partitions), and backs no mounted filesystem at all
    sysmap=$(system_devnos)
    hit=$(system_hit "$dev_no" core)
    [ -z "$hit" ] || refuse "$shown holds the running system ($hit)"
    hit=$(system_hit "$dev_no" swap)
    [ -z "$hit" ] || refuse "$shown holds the running system ($hit)"
    if why=$(mounted_in_tree "$target"); then
        refuse "$shown is mounted ($why); unmount it first"
    fi
    hit=$(system_hit "$dev_no" other)
    [ -z "$hit" ] || refuse "$shown is mounted: it holds a mounted filesystem ($hit); unmount it first"

    # 3. removable: /sys/block/NAME/removable = 1, or lsblk HOTPLUG=1 / TRAN=usb
    removable=$(cat "/sys/block/$name/removable" 2>/dev/null || echo 0)
    hotplug=$(lsblk -ndro HOTPLUG -- "$device" 2>/dev/null | head -n1)
    tran=$(lsblk -ndro TRAN -- "$device" 2>/dev/null | head -n1)
    if [ "$removable" != 1 ] && [ "$hotplug" != 1 ] && [ "$tran" != usb ]; then
        refuse "$shown is not a removable/USB disk (removable=$removable hotplug=${hotplug:-?} tran=${tran:-none})"
    fi

    # size: sysfs counts 512-byte sectors regardless of the logical block size
    sectors=$(cat "/sys/block/$name/size" 2>/dev/null || echo 0)
    dev_size=$((sectors * 512))
    if [ "$dev_size" -le 0 ]; then
        dev_size=$(lsblk -bndro SIZE -- "$device" 2>/dev/null | head -n1)
        dev_size=${dev_size:-0}
    fi
    [ "$dev_size" -gt 0 ] || refuse "$shown has size 0 (no medium inserted?)"

    vendor=$(sed 's/[[:space:]]*$//' "/sys/block/$name/device/vendor" 2>/dev/null)
    mdl=$(sed 's/[[:space:]]*$//' "/sys/block/$name/device/model" 2>/dev/null)
    [ -n "$mdl" ] || mdl=$(lsblk -ndo MODEL -- "$device" 2>/dev/null | sed 's/[[:space:]]*$//')
    model="${vendor:+$vendor }${mdl:-unknown model}${tran:+ (${tran})}"
else
    shown=$device
    dev_size=$(stat -L -c %s -- "$device") || refuse "cannot stat '$device'"
    [ -w "$device" ] || refuse "'$device' is not writable"
fi

# the image must not be the target itself
if [ "$image" -ef "$device" ]; then
    refuse "image and device are the same file ('$image')"
fi

if [ "$image_size" -gt "$dev_size" ]; then
    refuse "image '$image' ($image_size bytes) is larger than $shown ($dev_size bytes)"
fi

# ----------------------------------------------------------- summary -----
printf 'Target device : %s\n' "$shown"
printf '  model       : %s\n' "$model"
printf '  size        : %s\n' "$(human "$dev_size")"
printf 'Image         : %s\n' "$image"
printf '  size        : %s\n' "$(human "$image_size")"
printf 'ALL DATA ON %s WILL BE LOST.\n' "$target"

# ------------------------------------------------------- confirmation ----
if [ "${CONFIRM:-}" != yes ]; then
    if [ ! -t 0 ]; then
        refuse "stdin is not a terminal and CONFIRM=yes is not set; not asking (set CONFIRM=yes to write non-interactively)"
    fi
    printf 'Type yes to overwrite %s: ' "$target"
    answer=""
    IFS= read -r answer || true
    if [ "$answer" != yes ]; then
        printf '%s: aborted, nothing written (answer was not "yes")\n' "$prog" >&2
        exit 1
    fi
fi

# ------------------------------------------------------------- write -----
if [ "$mode" = block ]; then
    # Something (an auto-mounter) may have mounted it while we were asking.
    if why=$(mounted_in_tree "$target"); then
        refuse "$shown became mounted ($why); unmount it first"
    fi
fi

# notrunc: a regular-file target (test mode) keeps its size, like a device.
dd_cmd=(dd "if=$image" "of=$target" bs=4M "conv=fsync,notrunc" status=progress)
if [ "$mode" = block ] && [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || refuse "not root and sudo is not available to run dd"
    dd_cmd=(sudo "${dd_cmd[@]}")
fi

if [ "${USB_WRITE_DRY_RUN:-}" = 1 ]; then
    printf 'DRY RUN (USB_WRITE_DRY_RUN=1): would run: %s\n' "${dd_cmd[*]}"
    printf 'DRY RUN: would run: sync\n'
    exit 0
fi

printf 'Writing %s to %s ...\n' "$image" "$target"
if ! "${dd_cmd[@]}"; then
    printf '%s: dd failed writing %s\n' "$prog" "$target" >&2
    exit 3
fi
if ! sync; then
    printf '%s: sync failed\n' "$prog" >&2
    exit 3
fi
printf 'Done: %s written to %s. It is safe to remove the stick now.\n' "$image" "$target"
exit 0
