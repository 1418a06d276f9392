; Single instructions C# cannot express: port I/O, control registers, MSRs, descriptor tables,
; interrupt flag. Each is a tiny function called directly from C# ([RuntimeImport]); System V
; arguments: rdi, rsi, rdx; result in rax.
bits 64
section .text

global cpu_outb, cpu_inb, cpu_outw, cpu_inw, cpu_outd, cpu_ind, cpu_io_wait
global cpu_read_cr0, cpu_read_cr2, cpu_read_cr3, cpu_read_cr4, cpu_write_cr0, cpu_write_cr3, cpu_write_cr4
global cpu_rdmsr, cpu_wrmsr, cpu_cpuid, cpu_rdtsc, cpu_read_rflags, cpu_read_rbp, cpu_read_rsp
global cpu_cli, cpu_irq_save, cpu_sti, cpu_hlt, cpu_pause, cpu_invlpg, cpu_lidt, cpu_sidt, cpu_sgdt, cpu_str
global cpu_load_gdt, cpu_load_tss, cpu_halt_forever, cpu_read_cs, cpu_read_ss, cpu_xgetbv

cpu_outb:  mov edx, edi
           mov eax, esi
           out dx, al
           ret
cpu_inb:   mov edx, edi
           xor eax, eax
           in al, dx
           ret
cpu_outw:  mov edx, edi
           mov eax, esi
           out dx, ax
           ret
cpu_inw:   mov edx, edi
           xor eax, eax
           in ax, dx
           ret
cpu_outd:  mov edx, edi
           mov eax, esi
           out dx, eax
           ret
cpu_ind:   mov edx, edi
           in eax, dx
           ret
cpu_io_wait:
           mov al, 0
           out 0x80, al
           ret

cpu_read_cr0: mov rax, cr0
              ret
cpu_read_cr2: mov rax, cr2
              ret
cpu_read_cr3: mov rax, cr3
              ret
cpu_read_cr4: mov rax, cr4
              ret
cpu_write_cr0: mov cr0, rdi
               ret
cpu_write_cr3: mov cr3, rdi
               ret
cpu_write_cr4: mov cr4, rdi
               ret

; ulong cpu_rdmsr(uint msr)
cpu_rdmsr: mov ecx, edi
           rdmsr
           shl rdx, 32
           or rax, rdx
           ret
; void cpu_wrmsr(uint msr, ulong value)
cpu_wrmsr: mov ecx, edi
           mov rax, rsi
           mov rdx, rsi
           shr rdx, 32
           wrmsr
           ret

; void cpu_cpuid(uint leaf, uint subleaf, uint* out4)  -> out4 = {eax, ebx, ecx, edx}
cpu_cpuid: push rbx
           mov r8, rdx
           mov eax, edi
           mov ecx, esi
           cpuid
           mov [r8], eax
           mov [r8 + 4], ebx
           mov [r8 + 8], ecx
           mov [r8 + 12], edx
           pop rbx
           ret

cpu_xgetbv: mov ecx, edi
            xgetbv
            shl rdx, 32
            or rax, rdx
            ret

cpu_rdtsc: rdtsc
           shl rdx, 32
           or rax, rdx
           ret
cpu_read_rflags: pushfq
                 pop rax
                 ret
; The caller's frame pointer and stack pointer (as they were at the call).
cpu_read_rbp: mov rax, rbp
              ret
cpu_read_rsp: lea rax, [rsp + 8]
              ret
cpu_read_cs: mov ax, cs
             movzx eax, ax
             ret
cpu_read_ss: mov ax, ss
             movzx eax, ax
             ret

cpu_cli:   cli
           ret
; rax = RFLAGS & IF (was the caller interruptible?), then interrupts off.
cpu_irq_save: pushfq
              pop rax
              cli
              and eax, 0x200
              ret
cpu_sti:   sti
           ret
cpu_hlt:   hlt
           ret
cpu_pause: pause
           ret
cpu_invlpg: invlpg [rdi]
            ret
cpu_lidt:  lidt [rdi]
           ret
cpu_sidt:  sidt [rdi]
           ret
cpu_sgdt:  sgdt [rdi]
           ret
cpu_str:   xor eax, eax
           str ax
           ret

; void cpu_load_gdt(void* pointer, ushort codeSelector, ushort dataSelector)
; Loads the GDT, reloads the data segments, then CS through a far return.
cpu_load_gdt:
    lgdt [rdi]
    mov ax, dx
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    pop rax                 ; return address
    push rsi                ; new CS
    push rax
    retfq

; void cpu_load_tss(ushort selector)
cpu_load_tss:
    ltr di
    ret

cpu_halt_forever:
    cli
.loop:
    hlt
    jmp .loop

global cpu_rdrand
; int cpu_rdrand(ulong* value): 1 and a random word, or 0 when RDRAND kept failing.
; Only called when CPUID.1:ECX.RDRAND[bit 30] is set.
cpu_rdrand:
    mov ecx, 10
.retry:
    rdrand rax
    jc .ok
    dec ecx
    jnz .retry
    xor eax, eax
    ret
.ok:
    mov [rdi], rax
    mov eax, 1
    ret
