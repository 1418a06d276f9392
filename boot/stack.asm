; void switch_stack_and_call(ulong newStackTop, void (*function)(void)): moves RSP to a new
; stack (16-byte aligned) and calls function there. The function must not return: the frames
; of the old stack are abandoned (used once at boot, to leave the boot stack for a vmalloc'd
; stack with a guard page).
bits 64
section .text
global switch_stack_and_call
switch_stack_and_call:
    mov rsp, rdi
    and rsp, -16
    xor ebp, ebp
    call rsi
.hang:
    cli
    hlt
    jmp .hang
