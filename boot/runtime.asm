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

; Frames larger than a page call this with the lowest address of the frame in rax (ILC's
; convention: r11 = final rsp... see below). Touching each page in order makes a stack
; overflow hit the guard page, not skip past it.
; ILC x64 contract: rax = the lowest address the frame will use; rsp unchanged.
RhpStackProbe:
    mov r11, rsp
    and r11, -4096
.probe:
    sub r11, 4096
    test [r11], eax
    cmp r11, rax
    ja .probe
    ret

; The stack-protector cookie RyuJIT writes below stackalloc buffers and checks on return.
; boot/entry64.asm mixes the boot-time TSC into it before any C# runs.
section .data
global __security_cookie
align 8
__security_cookie: dq 0x2f7a3c1d5e6b4a09
