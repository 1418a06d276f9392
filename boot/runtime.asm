; Runtime helpers that ILC-generated code calls and that are simplest in assembly.
; There is no garbage collector, so reference stores need no write barrier, and there is no
; managed/native transition bookkeeping, so the P/Invoke frame helpers do nothing.
bits 64
section .text

global RhpAssignRef, RhpCheckedAssignRef, RhpByRefAssignRef
global RhpReversePInvoke, RhpReversePInvokeReturn, RhpPInvoke, RhpPInvokeReturn, RhpGcPoll
global RhpStackProbe, RhpCheckedLockCmpXchg, RhpCheckedXchg, RhpLockCmpXchg

; void RhpAssignRef(object* dst (rdi), object value (rsi))
RhpAssignRef:
RhpCheckedAssignRef:
    mov [rdi], rsi
    ret

; Copies one reference from [rsi] to [rdi] and advances both (used for struct copies).
RhpByRefAssignRef:
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret

; object RhpCheckedLockCmpXchg(object* dst (rdi), object value (rsi), object comparand (rdx))
RhpCheckedLockCmpXchg:
RhpLockCmpXchg:
    mov rax, rdx
    lock cmpxchg [rdi], rsi
    ret

; object RhpCheckedXchg(object* dst (rdi), object value (rsi))
RhpCheckedXchg:
    mov rax, rsi
    xchg [rdi], rax
    ret

RhpReversePInvoke:
RhpReversePInvokeReturn:
RhpPInvoke:
RhpPInvokeReturn:
RhpGcPoll:
    ret

; Frames larger than a page call this before moving RSP: touching every page of the new frame
; in order, from the top down, makes an overflow hit the guard page below the stack instead of
; skipping over it into whatever lies beyond.
; ILC x64 contract: r11 = the lowest address the frame will use (the new RSP), preserved;
; the caller then does `mov rsp, r11`. We keep every register but the flags.
RhpStackProbe:
    push rax
    mov rax, rsp
.probe:
    sub rax, 4096
    cmp rax, r11
    jbe .last
    test [rax], al
    jmp .probe
.last:
    test [r11], al
    pop rax
    ret

; The stack-protector cookie RyuJIT writes below stackalloc buffers and checks on return.
; boot/entry64.asm mixes the boot-time TSC into it before any C# runs.
section .data
global __security_cookie
align 8
__security_cookie: dq 0x2f7a3c1d5e6b4a09
