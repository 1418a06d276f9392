# tools/gdb/kernel.gdb - gdb session for `make debug`
#
# Usage (from the repository root, QEMU already started with `-s -S`):
#     gdb -q -x tools/gdb/kernel.gdb
#
# QEMU's -s opens a gdb stub on tcp::1234 and -S keeps the CPU halted at the
# reset vector until gdb says `continue`. See tools/gdb/README.md.

set pagination off
set confirm off
set print pretty on
set disassembly-flavor intel

# ---------------------------------------------------------------- helpers --
# (defined first so they exist even if a later step fails)

define kregs
    info registers rip rsp rbp eflags cs ss ds
    info registers cr0 cr2 cr3 cr4 efer
end
document kregs
Show the instruction/stack pointers, segment selectors and the control
registers (CR0/CR2/CR3/CR4/EFER) that matter while bringing up paging.
end

define kwhere
    info symbol $pc
    x/8i $pc
end
document kwhere
Name the function containing $pc and disassemble the next 8 instructions.
end

define kstack
    x/16gx $sp
end
document kstack
Dump the top 16 quadwords of the stack.
end

# ------------------------------------------------------------- connect --

# qemu-system-x86_64 always sends the 64-bit register set, even while the CPU
# is still in real or 32-bit protected mode, so tell gdb before connecting;
# otherwise it guesses i386 and fails with "Remote 'g' packet reply is too
# long". The catch: code that runs before long mode is disassembled as
# 64-bit code (see the README).
set architecture i386:x86-64

# The kernel with its symbols (build/kernel.iso only contains a copy of it).
file build/kernel.elf

target remote localhost:1234

# ------------------------------------------------------------ breakpoint --

# kmain is the C# entry point exported by the kernel (the boot assembly calls
# it once long mode and the higher-half mapping are up). It lives at
# 0xffffffff80xxxxxx, which is not mapped while the boot code still runs in
# 32-bit mode, so a software breakpoint (`break`, which writes an int3 into
# memory) cannot be inserted yet. A hardware breakpoint (`hbreak`) only
# compares addresses and works from the very first instruction.
hbreak kmain

# Other useful early stops (uncomment as needed; keep them `hbreak`):
#   hbreak *0x100000        # physical load address of the boot code (check
#                           # `readelf -l build/kernel.elf` for the real one)
#   hbreak _start           # if the boot assembly exports _start
# Under KVM (-enable-kvm) hardware breakpoints are the real DR0-DR3: at most 4.
# Once kmain is reached, paging is up and plain `break` works for the rest.

echo \n[kernel.gdb] connected; hbreak on kmain set. Helpers: kregs, kwhere, kstack.\n
echo [kernel.gdb] continuing until kmain (Ctrl-C to stop earlier)...\n

continue
