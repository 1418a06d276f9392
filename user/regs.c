// Register preservation across SYSCALL: Linux changes only rax (the result), rcx (the return
// address) and r11 (RFLAGS); every other general register and every XMM register must come
// back as it went in, for a cheap call, an unknown number and a write to the console.
#include <stdio.h>
#include <string.h>
#include "xmm_asm.h"

unsigned long regs_in[14], regs_out[14], rax_out, rcx_out, r11_out, flags_in, ret_address;
unsigned char xmm_in[256], xmm_out[256];
unsigned long regs_number, saved_rsp;

// rbx rdx rsi rdi rbp r8 r9 r10 r12 r13 r14 r15 (12 registers) then rsp in regs_out[12].
__asm__(
    ".text\n"
    ".globl probe\n"
    "probe:\n"
    "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "  mov %rsp, saved_rsp(%rip)\n"
    "  lea xmm_in(%rip), %rax\n"
    XMM_LOAD_ALL_FROM_RAX
    "  mov regs_in+0(%rip), %rbx;  mov regs_in+8(%rip), %rdx;  mov regs_in+16(%rip), %rsi; mov regs_in+24(%rip), %rdi\n"
    "  mov regs_in+32(%rip), %rbp; mov regs_in+40(%rip), %r8;  mov regs_in+48(%rip), %r9;  mov regs_in+56(%rip), %r10\n"
    "  mov regs_in+64(%rip), %r12; mov regs_in+72(%rip), %r13; mov regs_in+80(%rip), %r14; mov regs_in+88(%rip), %r15\n"
    "  mov regs_number(%rip), %rax\n"
    "  pushf; pop %rcx; mov %rcx, flags_in(%rip)\n"
    "  lea 1f(%rip), %rcx; mov %rcx, ret_address(%rip)\n"
    "  mov $0x1111, %rcx; mov $0x2222, %r11\n"
    "  syscall\n"
    "1:\n"
    "  mov %rax, rax_out(%rip); mov %rcx, rcx_out(%rip); mov %r11, r11_out(%rip)\n"
    "  mov %rbx, regs_out+0(%rip);  mov %rdx, regs_out+8(%rip);  mov %rsi, regs_out+16(%rip); mov %rdi, regs_out+24(%rip)\n"
    "  mov %rbp, regs_out+32(%rip); mov %r8, regs_out+40(%rip);  mov %r9, regs_out+48(%rip);  mov %r10, regs_out+56(%rip)\n"
    "  mov %r12, regs_out+64(%rip); mov %r13, regs_out+72(%rip); mov %r14, regs_out+80(%rip); mov %r15, regs_out+88(%rip)\n"
    "  mov %rsp, regs_out+96(%rip)\n"
    "  lea xmm_out(%rip), %rax\n"
    XMM_STORE_ALL_TO_RAX
    "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "  ret\n");
void probe(void);

static const char *names[12] = { "rbx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r12", "r13", "r14", "r15" };
static char message[] = "regs: write from the probe\n";

static int quiet; // "regs quiet": only failures are printed (for the in-guest suite)

static int run(const char *what, unsigned long number, int expectWrite)
{
    int failures = 0;
    for (int i = 0; i < 12; i++) regs_in[i] = 0x0101010101010101UL * (unsigned long)(i + 3) ^ (number << 4);
    for (int i = 0; i < 256; i++) xmm_in[i] = (unsigned char)(i * 7 + number);
    if (expectWrite)
    {
        regs_in[3] = 1;                              // rdi: fd
        regs_in[2] = (unsigned long)message;         // rsi: buffer
        regs_in[1] = sizeof message - 1;             // rdx: count
    }
    regs_number = number;
    probe();
    for (int i = 0; i < 12; i++)
        if (regs_out[i] != regs_in[i]) { printf("not ok - %s: %s changed %lx -> %lx\n", what, names[i], regs_in[i], regs_out[i]); failures++; }
    if (regs_out[12] != saved_rsp) { printf("not ok - %s: rsp changed\n", what); failures++; }
    if (memcmp(xmm_in, xmm_out, sizeof xmm_in) != 0) { printf("not ok - %s: an XMM register changed\n", what); failures++; }
    if (rcx_out != ret_address) { printf("not ok - %s: rcx %lx is not the return address %lx\n", what, rcx_out, ret_address); failures++; }
    if ((r11_out & ~0x10000UL) != (flags_in & ~0x10000UL)) { printf("not ok - %s: r11 %lx is not RFLAGS %lx\n", what, r11_out, flags_in); failures++; }
    if (!failures && !quiet) printf("ok - %s: only rax, rcx and r11 changed (rax %ld)\n", what, (long)rax_out);
    return failures;
}

int main(int argc, char **argv)
{
    int failures = 0;
    quiet = argc > 1 && strcmp(argv[1], "quiet") == 0;
    failures += run("getppid", 110, 0);
    failures += run("unknown syscall 999", 999, 0);
    failures += (long)rax_out != -38;
    if (!quiet)
    {
        failures += run("write", 1, 1);
        failures += (long)rax_out != (long)(sizeof message - 1);
    }
    failures += run("getpid", 39, 0);
    if (!quiet || failures) printf("regs: %d failures\n", failures);
    return failures;
}
