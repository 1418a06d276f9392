; The 32-bit entry GRUB jumps to (EAX = Multiboot2 magic, EBX = physical address of the boot
; information). It checks for long mode, builds the early page tables, enables PAE, long mode
; and paging, and continues in 64-bit code at entry64.
;
; The early tables map the first 4 GiB twice: identity (for this trampoline and the boot data
; GRUB left anywhere below 4 GiB) and at 0xffffffff80000000 (phys 0..2 GiB, where the kernel is
; linked). The first 2 MiB use 4 KiB pages so that page 0 stays unmapped (a null dereference
; faults) and the page below the boot stack is a guard page; the rest uses 2 MiB pages.
; Everything here is linked at its physical address; the kernel proper lives in the higher half.

bits 32
%define PAGE_PRESENT  0x001
%define PAGE_WRITABLE 0x002
%define PAGE_LARGE    0x080

extern entry64_low
global entry32, boot_pml4, boot_stack_guard, boot_stack_top, boot_multiboot_magic, boot_multiboot_info

section .boot.text progbits alloc exec nowrite
entry32:
    cli
    cld
    mov esp, boot_stack_top
    mov [boot_multiboot_magic], eax
    mov [boot_multiboot_info], ebx

    ; Long mode needs CPUID leaf 0x80000001 with the LM bit.
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz .no_long_mode

    call build_page_tables

    mov eax, boot_pml4
    mov cr3, eax
    mov eax, cr4
    or eax, 1 << 5                    ; PAE
    mov cr4, eax
    mov ecx, 0xc0000080               ; EFER
    rdmsr
    or eax, 1 << 8                    ; LME
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16)     ; PG, WP
    mov cr0, eax

    lgdt [boot_gdt_pointer]
    jmp 0x08:entry64_low

.no_long_mode:
    ; No serial driver yet: print on the VGA text screen and halt.
    mov esi, no_long_mode_text
    mov edi, 0xb8000
.print:
    lodsb
    test al, al
    jz .halt
    mov ah, 0x4f
    stosw
    jmp .print
.halt:
    hlt
    jmp .halt

build_page_tables:
    ; PML4[0] -> identity PDPT, PML4[511] -> higher-half PDPT.
    mov eax, boot_pdpt_low
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_pml4], eax
    mov eax, boot_pdpt_high
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_pml4 + 511 * 8], eax

    ; Identity PDPT[0..3] -> PD0..PD3 (4 GiB); higher-half PDPT[510], [511] -> PD0, PD1.
    mov ecx, 0
.pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pd
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_pdpt_low + ecx * 8], eax
    cmp ecx, 2
    jae .pdpt_next
    mov [boot_pdpt_high + (510 + ecx) * 8], eax
.pdpt_next:
    inc ecx
    cmp ecx, 4
    jb .pdpt

    ; PD entries 1..2047 map 2 MiB pages (bits 32+ of the address go in the upper dword).
    mov ecx, 1
.pd:
    mov eax, ecx
    shl eax, 21
    or eax, PAGE_PRESENT | PAGE_WRITABLE | PAGE_LARGE
    mov [boot_pd + ecx * 8], eax
    mov eax, ecx
    shr eax, 11
    mov [boot_pd + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jb .pd

    ; PD0[0] -> boot_pt: the first 2 MiB in 4 KiB pages, without page 0 and the stack guard.
    mov eax, boot_pt
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_pd], eax
    mov ecx, 1
.pt:
    mov eax, ecx
    shl eax, 12
    or eax, PAGE_PRESENT | PAGE_WRITABLE
    mov [boot_pt + ecx * 8], eax
    inc ecx
    cmp ecx, 512
    jb .pt
    mov eax, boot_stack_guard
    shr eax, 12
    mov dword [boot_pt + eax * 8], 0
    ret

section .boot.rodata progbits alloc noexec nowrite
align 8
boot_gdt:
    dq 0
    dq 0x00af9a000000ffff             ; 0x08: 64-bit code
    dq 0x00cf92000000ffff             ; 0x10: data
boot_gdt_end:
boot_gdt_pointer:
    dw boot_gdt_end - boot_gdt - 1
    dd boot_gdt
no_long_mode_text:
    db "This CPU has no 64-bit long mode; the kernel cannot run.", 0

section .boot.data progbits alloc noexec write
align 8
boot_multiboot_magic: dd 0
boot_multiboot_info:  dd 0

section .boot.bss nobits alloc noexec write
align 4096
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096
boot_pdpt_high: resb 4096
boot_pd:        resb 4 * 4096
boot_pt:        resb 4096
; The boot stack, with an unmapped guard page below it: an overflow faults instead of
; silently overwriting the page tables above.
boot_stack_guard: resb 4096
boot_stack_bottom: resb 64 * 1024
boot_stack_top:
