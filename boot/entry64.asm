; 64-bit continuation of the boot path. entry64_low still runs at its physical address; it
; jumps to the higher half, moves the stack to its higher-half alias, enables SSE (the C# code
; uses SSE registers freely) and calls kmain(magic, multiboot_info_physical).
bits 64
%define KERNEL_VMA 0xffffffff80000000

extern kmain, __security_cookie, boot_stack_top, boot_multiboot_magic, boot_multiboot_info
global entry64_low

section .boot.text
entry64_low:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rax, entry64_high
    jmp rax

section .text
entry64_high:
    mov rax, KERNEL_VMA
    mov rsp, boot_stack_top
    add rsp, rax
    xor ebp, ebp

    ; SSE: CR0.EM=0, CR0.MP=1; CR4.OSFXSR and CR4.OSXMMEXCPT; then a clean x87/SSE state.
    mov rax, cr0
    and rax, ~(1 << 2)
    or rax, 1 << 1
    mov cr0, rax
    mov rax, cr4
    or rax, (1 << 9) | (1 << 10)
    mov cr4, rax
    fninit
    push 0x1f80
    ldmxcsr [rsp]
    add rsp, 8

    ; Make the stack-protector cookie differ from boot to boot (no C# frame is live yet).
    rdtsc
    shl rdx, 32
    or rax, rdx
    xor [rel __security_cookie], rax

    ; The identity map still exists: read the values GRUB's registers left at their low address.
    mov edi, [abs boot_multiboot_magic]
    mov esi, [abs boot_multiboot_info]
    call kmain
.halt:
    cli
    hlt
    jmp .halt

