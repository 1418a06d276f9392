; The framebuffer console's font: a PC Screen Font from Debian's console-setup-linux package,
; gunzipped into build/ by the Makefile (data, not code). FramebufferScreen parses it in place.
bits 64
section .rodata
align 16
console_font_data:
    incbin "console-font.psf"
console_font_data_end:

section .text
global console_font_start, console_font_length
; byte* console_font_start()
console_font_start:
    lea rax, [rel console_font_data]
    ret
; int console_font_length()
console_font_length:
    mov eax, console_font_data_end - console_font_data
    ret
