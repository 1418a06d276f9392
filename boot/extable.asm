; Instructions that are allowed to fault. Each entry of the __ex_table section pairs the address
; of an instruction that may fault with the address to resume at; the page-fault and #GP
; handlers look the faulting RIP up there (kernel/Arch/X64/ExceptionTable.cs) and, on a match,
; resume at the fixup instead of reporting a crash. Fixups return -EFAULT (-14) in rax.
; The user-memory copies in syscall.asm use the same table.
bits 64
global probe_read_u64, probe_write_u8, probe_read_u8

%include "extable.inc"

section .text
; long probe_read_u64(ulong address, ulong* value): 0, or -14 if the read faulted.
probe_read_u64:
.read:
    mov rax, [rdi]
    mov [rsi], rax
    xor eax, eax
    ret
.fault:
    mov rax, -14
    ret
    EXTABLE probe_read_u64.read, probe_read_u64.fault

; long probe_read_u8(ulong address, byte* value)
probe_read_u8:
.read:
    movzx eax, byte [rdi]
    mov [rsi], al
    xor eax, eax
    ret
.fault:
    mov rax, -14
    ret
    EXTABLE probe_read_u8.read, probe_read_u8.fault

; long probe_write_u8(ulong address, byte value): writes the byte; 0 or -14.
probe_write_u8:
.write:
    mov [rdi], sil
    xor eax, eax
    ret
.fault:
    mov rax, -14
    ret
    EXTABLE probe_write_u8.write, probe_write_u8.fault

; long probe_execute(ulong address): calls address (which should `ret` at once). 0 if it ran,
; -14 if fetching the instruction faulted. An instruction-fetch fault happens at the target,
; not here, so the entry registered is the return site of the call: the #PF handler finds it
; at the top of the faulting stack (kernel/Arch/X64/ExceptionTable.cs), pops it and resumes
; at the fixup.
global probe_execute
probe_execute:
    call rdi
.return_site:
    xor eax, eax
    ret
.fault:
    mov rax, -14
    ret
    EXTABLE probe_execute.return_site, probe_execute.fault
