#!/usr/bin/env bash
# Makes the hybrid boot image (BIOS + UEFI, CD + USB stick) for one kernel command line:
#   tools/mkimage.sh KERNEL_ELF OUT_IMAGE "CMDLINE" [INITRD]
# GFXPAYLOAD=text in the environment keeps text mode under UEFI too, where it means no
# framebuffer at all (the harness uses it to check that a serial-only boot works).
# grub-mkrescue builds an ISO 9660 image with an El Torito BIOS entry, an EFI system partition
# and an MBR, so the same file boots from a CD, from a USB stick written with dd, and in QEMU.
set -euo pipefail
kernel=$1 out=$2 cmdline=${3:-} initrd=${4:-}
[ -f "$kernel" ] || { echo "mkimage: no kernel at $kernel" >&2; exit 2; }
case "$cmdline" in *[\"\\\$\;\{\}]*) echo "mkimage: the command line may not contain \" \\ \$ ; { }" >&2; exit 2;; esac

root=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$root" "$log"' EXIT
mkdir -p "$root/boot/grub"
cp "$kernel" "$root/boot/kernel.elf"
module_line=""
if [ -n "$initrd" ]; then
    cp "$initrd" "$root/boot/initrd.cpio"
    module_line="    module2 /boot/initrd.cpio initrd"
fi
cat > "$root/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
menuentry "C# kernel" {
    # BIOS boots stay in VGA text mode; UEFI has no text mode and hands over a framebuffer.
    if [ "\$grub_platform" = "efi" ]; then
        insmod all_video
        set gfxpayload=${GFXPAYLOAD:-1024x768x32,auto}
    else
        set gfxpayload=text
    fi
    multiboot2 /boot/kernel.elf $cmdline
$module_line
    boot
}
CFG
grub-mkrescue -o "$out.tmp" "$root" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
mv "$out.tmp" "$out"
