; Multiboot2 header (spec section 3.1). GRUB scans the first 32 KiB of the file for it, so the
; linker script puts .multiboot first.
bits 32
section .multiboot
align 8
mb2_header:
    dd 0xe85250d6                     ; magic
    dd 0                              ; architecture: i386 (protected mode)
    dd mb2_header_end - mb2_header    ; header length
    dd -(0xe85250d6 + 0 + (mb2_header_end - mb2_header))


    ; No framebuffer request: with one, GRUB 2.06 switches BIOS machines to a graphics mode
    ; even with gfxpayload=text. Without it, BIOS boots stay in VGA text mode (an EGA-text
    ; framebuffer tag) and UEFI boots still get the graphics mode grub.cfg asks for.

    ; Modules page aligned, so the initrd can be mapped and freed in whole pages.
    align 8
    dw 6, 0
    dd 8

    align 8
    dw 0, 0                           ; end tag
    dd 8
mb2_header_end:
