; Interrupt and exception entry. One small stub per vector pushes a dummy error code when the
; CPU does not push one, then the vector, and joins interrupt_common, which saves every general
; register and the whole x87/SSE state (fxsave: the C# code uses SSE freely), clears AC (SMAP)
; and calls the C# dispatcher with a pointer to the saved frame (kernel/Arch/X64/InterruptFrame.cs).
; The dispatcher may change the frame (an exception-table fixup changes RIP) before iretq.
bits 64
%include "frame.inc"
extern interrupt_dispatch
global isr_stub_table, smap_clac_enabled

section .text
%macro STUB 1
isr_stub_%1:
%if %1 = 8 || %1 = 10 || %1 = 11 || %1 = 12 || %1 = 13 || %1 = 14 || %1 = 17 || %1 = 21 || %1 = 29 || %1 = 30
%else
    push 0                              ; no error code from the CPU for this vector
%endif
    push %1
    jmp interrupt_common
%endmacro

%assign vector 0
%rep 256
    STUB vector
%assign vector vector + 1
%endrep

interrupt_common:
    ; From ring 3 (CS at rsp+24, above vector and error code) the GS base is the user's:
    ; swap in the per-CPU area, and swap back on the way out.
    test byte [rsp + 24], 3
    jz .from_kernel
    swapgs
.from_kernel:
    push_general_registers
    cld
    ; CLAC faults on CPUs without SMAP, so it runs only once the kernel has found SMAP.
    test byte [rel smap_clac_enabled], 1
    jz .no_clac
    clac
.no_clac:
    mov rbx, rsp                        ; rbx (callee-saved) keeps the frame across the call
    sub rsp, 512
    and rsp, -16                        ; fxsave needs 16-byte alignment; so does C#
    fxsave [rsp]
    mov rdi, rbx
    call interrupt_dispatch
    fxrstor [rsp]
    mov rsp, rbx
    pop_general_registers
    add rsp, 16                         ; vector and error code
    test byte [rsp + 8], 3
    jz .to_kernel
    swapgs
.to_kernel:
    iretq

section .rodata
align 8
isr_stub_table:
%assign vector 0
%rep 256
    dq isr_stub_ %+ vector
%assign vector vector + 1
%endrep

section .data
smap_clac_enabled: db 0

section .text
global isr_stub_address
; ulong isr_stub_address(int vector)
isr_stub_address:
    movsxd rdi, edi
    lea rax, [rel isr_stub_table]
    mov rax, [rax + rdi * 8]
    ret

global set_smap_clac
; From now on interrupt entry executes CLAC (only called once CR4.SMAP is on).
set_smap_clac:
    mov byte [rel smap_clac_enabled], 1
    ret
