#!/usr/bin/env bash
# Builds the initrd: an uncompressed cpio archive in the "newc" format (what the kernel's
# kernel/Fs/Cpio parser reads), with GNU cpio from Debian.
#   tools/mkinitrd.sh OUT.cpio USER_BIN_DIR ROOTFS_DIR [EXTRA_DIR]
# Every file of USER_BIN_DIR becomes /bin/NAME; the trees of ROOTFS_DIR (user/rootfs: /etc...)
# and EXTRA_DIR (make INITRD_EXTRA=dir) are copied to the root.
# Entries are sorted and owned by root so the archive is the same on every machine.
set -euo pipefail
out=$1 bins=$2 rootfs=$3 extra=${4:-}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/proc" # /proc: the mount point, so `ls /` shows it (the kernel serves its contents)
for f in "$bins"/*; do
    [ -f "$f" ] && cp "$f" "$stage/bin/"
done
[ -d "$rootfs" ] && cp -r "$rootfs"/. "$stage/"
# Debian's busybox-static (BUSYBOX=/bin/busybox from the Makefile) with links for a few applets.
if [ -n "${BUSYBOX:-}" ] && [ -f "$BUSYBOX" ]; then
    cp "$BUSYBOX" "$stage/bin/busybox"
    for applet in sh echo cat ls true false; do ln -sf busybox "$stage/bin/$applet"; done
fi
if [ -n "$extra" ]; then
    [ -d "$extra" ] || { echo "mkinitrd: INITRD_EXTRA=$extra is not a directory" >&2; exit 2; }
    cp -r "$extra"/. "$stage/"
fi
(cd "$stage" && find . -mindepth 0 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out.tmp"
mv "$out.tmp" "$out"
