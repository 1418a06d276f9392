// Assembler text for top-level asm probes: all sixteen XMM registers loaded from / stored to
// 256 bytes at (%rax) (user/regs.c, user/signals.c).
#ifndef XMM_ASM_H
#define XMM_ASM_H
#define XMM_LOAD_ALL_FROM_RAX \
    "  movdqu 0(%rax), %xmm0;   movdqu 16(%rax), %xmm1;  movdqu 32(%rax), %xmm2;  movdqu 48(%rax), %xmm3\n" \
    "  movdqu 64(%rax), %xmm4;  movdqu 80(%rax), %xmm5;  movdqu 96(%rax), %xmm6;  movdqu 112(%rax), %xmm7\n" \
    "  movdqu 128(%rax), %xmm8; movdqu 144(%rax), %xmm9; movdqu 160(%rax), %xmm10; movdqu 176(%rax), %xmm11\n" \
    "  movdqu 192(%rax), %xmm12; movdqu 208(%rax), %xmm13; movdqu 224(%rax), %xmm14; movdqu 240(%rax), %xmm15\n"
#define XMM_STORE_ALL_TO_RAX \
    "  movdqu %xmm0, 0(%rax);   movdqu %xmm1, 16(%rax);  movdqu %xmm2, 32(%rax);  movdqu %xmm3, 48(%rax)\n" \
    "  movdqu %xmm4, 64(%rax);  movdqu %xmm5, 80(%rax);  movdqu %xmm6, 96(%rax);  movdqu %xmm7, 112(%rax)\n" \
    "  movdqu %xmm8, 128(%rax); movdqu %xmm9, 144(%rax); movdqu %xmm10, 160(%rax); movdqu %xmm11, 176(%rax)\n" \
    "  movdqu %xmm12, 192(%rax); movdqu %xmm13, 208(%rax); movdqu %xmm14, 224(%rax); movdqu %xmm15, 240(%rax)\n"
#endif
