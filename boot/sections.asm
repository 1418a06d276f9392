; Accessors for addresses only the linker knows (boot/linker.ld), so C# can read them.
bits 64
section .text

extern kernel_modules_start, kernel_modules_end, kernel_ex_table_start, kernel_ex_table_end
extern kernel_text_start, kernel_text_end, kernel_rodata_start, kernel_rodata_end
extern kernel_data_start, kernel_data_end, kernel_phys_start, kernel_phys_end
extern boot_stack_guard, boot_stack_top, boot_pml4
global kernel_modules_bounds, kernel_layout

; void kernel_modules_bounds(void*** start, void*** end): ILC's module header pointers.
kernel_modules_bounds:
    mov rax, kernel_modules_start
    mov [rdi], rax
    mov rax, kernel_modules_end
    mov [rsi], rax
    ret

; void kernel_layout(ulong* out): fills a KernelLayout struct (kernel/Boot/KernelLayout.cs),
; in this order.
kernel_layout:
    mov rax, kernel_text_start
    mov [rdi + 0], rax
    mov rax, kernel_text_end
    mov [rdi + 8], rax
    mov rax, kernel_rodata_start
    mov [rdi + 16], rax
    mov rax, kernel_rodata_end
    mov [rdi + 24], rax
    mov rax, kernel_data_start
    mov [rdi + 32], rax
    mov rax, kernel_data_end
    mov [rdi + 40], rax
    mov rax, kernel_phys_start
    mov [rdi + 48], rax
    mov rax, kernel_phys_end
    mov [rdi + 56], rax
    mov rax, kernel_ex_table_start
    mov [rdi + 64], rax
    mov rax, kernel_ex_table_end
    mov [rdi + 72], rax
    mov rax, boot_stack_guard
    mov [rdi + 80], rax
    mov rax, boot_stack_top
    mov [rdi + 88], rax
    mov rax, boot_pml4
    mov [rdi + 96], rax
    ret
