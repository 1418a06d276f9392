; Instructions for the deliberate crashes of kernel/Diagnostics/CrashTriggers.cs.
bits 64
section .text
global crash_divide, crash_ud2, crash_non_canonical_read

; ulong crash_divide(ulong dividend, ulong divisor): a plain `div`, #DE when divisor is 0.
crash_divide:
    mov rax, rdi
    xor edx, edx
    div rsi
    ret

crash_ud2:
    ud2
    ret

; A read from a non-canonical address raises #GP (not #PF).
crash_non_canonical_read:
    mov rax, 0x8000000000000000
    mov rax, [rax]
    ret
