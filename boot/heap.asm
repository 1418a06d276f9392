; Memory for managed objects until the slab allocator takes over (kernel/Runtime/ObjectHeap.cs).
bits 64
global boot_heap_start, boot_heap_end
%define BOOT_HEAP_SIZE (4 * 1024 * 1024)

section .bss
align 4096
boot_heap: resb BOOT_HEAP_SIZE
boot_heap_limit:

section .text
boot_heap_start:
    lea rax, [rel boot_heap]
    ret
boot_heap_end:
    lea rax, [rel boot_heap_limit]
    ret

