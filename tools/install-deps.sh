#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, only those missing.
# Uses sudo when not root. Called by `make deps` (every other target depends on it).
set -euo pipefail
packages=(nasm lld qemu-system-x86 qemu-utils grub-pc-bin grub-efi-amd64-bin grub-common xorriso
          mtools ovmf musl-tools cpio console-setup-linux binutils busybox-static
          libmimalloc2.0 libjemalloc2)   # the last two: peers of tools/Bench/SlabBench
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
