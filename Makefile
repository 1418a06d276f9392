# Build and test the C# kernel.   make run | make test | make image | make help
#
# Pipeline: C# -> IL (dotnet build, the kernel is its own core library) -> native object (ILC,
# pinned from NuGet) -> link with the NASM boot stub (ld.lld) -> build/kernel.elf ->
# hybrid BIOS/UEFI, CD/USB image (grub-mkrescue) -> build/kernel.iso.
# Each step depends on its real inputs, so an edit rebuilds what it must and no more.

BUILD      := build
ILC_VER    := 10.0.10
CMDLINE    ?=
MEM        ?= 256M
QEMU       := qemu-system-x86_64
QEMU_FLAGS := -accel tcg -cpu max -m $(MEM) -no-reboot \
              -device isa-debug-exit,iobase=0xf4,iosize=0x04
NUGET_DIR   = $(shell dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
ILC         = $(NUGET_DIR)runtime.linux-x64.microsoft.dotnet.ilcompiler/$(ILC_VER)/tools/ilc

KERNEL_CS  := $(shell find kernel drivers tests/InGuest -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' 2>/dev/null)
BOOT_ASM   := $(wildcard boot/*.asm)
BOOT_OBJ   := $(patsubst boot/%.asm,$(BUILD)/obj/boot/%.o,$(BOOT_ASM))

# User programs (static musl binaries) and the initrd that carries them: /bin/NAME for each
# user/NAME.c, the tree under user/rootfs, plus the contents of INITRD_EXTRA=dir at the root.
INITRD_EXTRA ?=
USER_SRC   := $(wildcard user/*.c)
USER_BIN   := $(patsubst user/%.c,$(BUILD)/user/%,$(USER_SRC))
USER_CFLAGS := -static -O2 -Wall -Wextra -fno-stack-protector
INITRD     := $(BUILD)/initrd.cpio
EXTRA_FILES := $(if $(INITRD_EXTRA),$(shell find $(INITRD_EXTRA)) $(BUILD)/.initrd-extra-$(subst /,_,$(INITRD_EXTRA)))

DEPS_STAMP := $(BUILD)/.deps-stamp
ILC_STAMP  := $(BUILD)/.ilc-$(ILC_VER)-stamp

.PHONY: all deps image initrd user run run-gui test test-host test-image debug usb clean help
.DELETE_ON_ERROR:

all: image

help:
	@echo "make run        boot the kernel in QEMU on this terminal (Ctrl-A X quits QEMU)"
	@echo "make run-gui    boot it in a QEMU window (VGA)"
	@echo "make test       host unit tests + in-guest suites over the boot matrix + crash reports"
	@echo "make image      build/kernel.elf and the hybrid image build/kernel.iso"
	@echo "make debug      QEMU paused with a gdb stub; gdb -x tools/gdb/kernel.gdb attaches"
	@echo "make usb DEVICE=/dev/sdX [CONFIRM=yes]   write the image to a USB stick"
	@echo "make initrd     build/initrd.cpio: user/*.c as /bin/NAME, plus INITRD_EXTRA=dir"
	@echo "variables: CMDLINE='test=all' (kernel command line for run/debug), MEM=256M, INITRD_EXTRA=dir"

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/install-deps.sh
	@mkdir -p $(BUILD)
	tools/install-deps.sh
	@touch $@

$(ILC_STAMP): tools/Ilc/Ilc.csproj | $(DEPS_STAMP)
	dotnet restore tools/Ilc/Ilc.csproj -v q
	@touch $@

# C# -> IL. The kernel project compiles kernel/, drivers/ and the in-guest suites.
$(BUILD)/il/Release/kernel.dll: $(KERNEL_CS) kernel/Kernel.csproj | $(DEPS_STAMP)
	dotnet build kernel/Kernel.csproj -c Release --nologo -v q -clp:NoSummary
	@touch $@

# IL -> ELF object. See docs/toolchain notes in docs/boot.md for why these flags.
$(BUILD)/obj/kernel.o: $(BUILD)/il/Release/kernel.dll $(ILC_STAMP)
	@mkdir -p $(dir $@)
	$(ILC) $< -o:$@ --systemmodule:kernel --targetos:linux --targetarch:x64 \
	    --instruction-set:x86-64-v2 -O --nativelib --map:$(BUILD)/obj/kernel.map.xml

$(BUILD)/obj/boot/%.o: boot/%.asm $(wildcard boot/*.inc) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	nasm -f elf64 -w+all -Iboot/ -I$(BUILD)/ -o $@ $<

# The framebuffer console's font (data from Debian's console-setup-linux), embedded by boot/font.asm.
CONSOLE_FONT := /usr/share/consolefonts/Lat15-Terminus16.psf.gz
$(BUILD)/console-font.psf: | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	gunzip -c $(CONSOLE_FONT) > $@
$(BUILD)/obj/boot/font.o: $(BUILD)/console-font.psf

$(BUILD)/kernel.elf: $(BUILD)/obj/kernel.o $(BOOT_OBJ) boot/linker.ld
	ld.lld -nostdlib -static --no-pie -z max-page-size=0x1000 -T boot/linker.ld -o $@ $(BUILD)/obj/kernel.o $(BOOT_OBJ)
	grub-file --is-x86-multiboot2 $@

$(BUILD)/user/%: user/%.c $(wildcard user/*.h) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	musl-gcc $(USER_CFLAGS) -o $@ $<

# A stamp per extra directory, so that naming another one (or none) rebuilds the archive.
$(BUILD)/.initrd-extra-%:
	@rm -f $(BUILD)/.initrd-extra-*
	@touch $@

# Debian's busybox-static (tools/install-deps.sh) goes in as /bin/busybox plus applet links.
BUSYBOX    := $(wildcard /bin/busybox)

$(INITRD): $(USER_BIN) tools/mkinitrd.sh $(shell find user/rootfs) $(EXTRA_FILES) $(BUSYBOX) | $(DEPS_STAMP)
	BUSYBOX=$(BUSYBOX) tools/mkinitrd.sh $@ $(BUILD)/user user/rootfs $(INITRD_EXTRA)

user: $(USER_BIN)
initrd: $(INITRD)

$(BUILD)/kernel.iso: $(BUILD)/kernel.elf $(INITRD) tools/mkimage.sh
	tools/mkimage.sh $< $@ "$(CMDLINE)" $(INITRD)

image: $(BUILD)/kernel.iso

# The terminal is the serial port; -serial mon:stdio lets Ctrl-C reach the guest and
# Ctrl-A C reach the QEMU monitor. The image is rebuilt when CMDLINE changes.
run: $(BUILD)/kernel.elf $(INITRD) | $(DEPS_STAMP)
	tools/mkimage.sh $(BUILD)/kernel.elf $(BUILD)/run.iso "$(CMDLINE)" $(INITRD)
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio -cdrom $(BUILD)/run.iso

run-gui: $(BUILD)/kernel.elf $(INITRD) | $(DEPS_STAMP)
	tools/mkimage.sh $(BUILD)/kernel.elf $(BUILD)/run.iso "$(CMDLINE)" $(INITRD)
	$(QEMU) $(QEMU_FLAGS) -serial stdio -cdrom $(BUILD)/run.iso

debug: $(BUILD)/kernel.elf $(INITRD) | $(DEPS_STAMP)
	tools/mkimage.sh $(BUILD)/kernel.elf $(BUILD)/run.iso "$(CMDLINE)" $(INITRD)
	@echo "QEMU is paused; in another terminal: gdb -x tools/gdb/kernel.gdb"
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio -cdrom $(BUILD)/run.iso -s -S

usb: $(BUILD)/kernel.iso
	tools/usb/write-usb.sh "$(DEVICE)" $(BUILD)/kernel.iso

test: $(BUILD)/kernel.elf $(INITRD) | $(DEPS_STAMP)
	tools/run-tests.sh

clean:
	rm -rf $(BUILD) kernel/obj kernel/bin
