; try_call / try_abort: a minimal setjmp/longjmp for the in-guest test runner. A failed
; assertion ends its test case at once (as KUnit's assertions do) by unwinding straight back
; to the runner; the case's frames are simply dropped (kernel code keeps no state that a
; finally block would have to restore).
bits 64
global try_call, try_abort

section .text
; int try_call(void (*function)(void), ulong* context): runs function; returns 0 when it
; returns normally, 1 when something inside called try_abort(context).
try_call:
    mov [rsi + 0], rbx
    mov [rsi + 8], rbp
    mov [rsi + 16], r12
    mov [rsi + 24], r13
    mov [rsi + 32], r14
    mov [rsi + 40], r15
    mov [rsi + 48], rsp                 ; points at our return address
    sub rsp, 8                          ; keep the 16-byte alignment for the call
    call rdi
    add rsp, 8
    xor eax, eax
    ret

; void try_abort(ulong* context): returns 1 from the try_call that filled context.
try_abort:
    mov rbx, [rdi + 0]
    mov rbp, [rdi + 8]
    mov r12, [rdi + 16]
    mov r13, [rdi + 24]
    mov r14, [rdi + 32]
    mov r15, [rdi + 40]
    mov rsp, [rdi + 48]
    mov eax, 1
    ret
