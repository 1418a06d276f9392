// Deliberate faults in ring 3: the kernel must kill only this process with the signal Linux
// sends (reported as init's status 128 + signal) and keep running. argv[1] picks the fault.
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef void (*function)(void);

static int zero; // divisor from memory so the compiler cannot see it

// Recurses with a big frame until the stack runs out (the page below it is unmapped).
#pragma GCC diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) static int recurse(int depth)
{
    volatile char frame[4096];
    frame[0] = (char)depth;
    return recurse(depth + 1) + frame[0];
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "null";
    printf("fault: %s\n", what);
    fflush(stdout);
    if (strcmp(what, "null") == 0) return *(volatile int *)0;
    if (strcmp(what, "write-text") == 0) { *(volatile unsigned char *)(void *)main = 0xc3; return 1; }
    if (strcmp(what, "exec-stack") == 0)
    {
        unsigned char code[16] = { 0xc3 }; // ret: harmless if the stack were executable
        ((function)(void *)code)();
        return 2;
    }
    if (strcmp(what, "divide") == 0)
    {
        int quotient, divisor = zero; // idiv by hand: gcc turns 1 / x into a compare
        __asm__ volatile("cltd; idivl %2" : "=a"(quotient) : "a"(100), "r"(divisor) : "edx");
        return quotient;
    }
    if (strcmp(what, "ud2") == 0) { __asm__ volatile("ud2"); return 3; }
    if (strcmp(what, "read-kernel") == 0) return *(volatile int *)0xffffffff80100000UL;
    if (strcmp(what, "read-directmap") == 0) return *(volatile int *)0xffff888000100000UL;
    if (strcmp(what, "jump-kernel") == 0) { ((function)0xffffffff80100000UL)(); return 4; }
    if (strcmp(what, "noncanonical") == 0) return *(volatile int *)0x0000900000000000UL;
    if (strcmp(what, "int3") == 0) { __asm__ volatile("int3"); return 5; }
    if (strcmp(what, "privileged") == 0) { __asm__ volatile("cli"); return 6; }
    if (strcmp(what, "stack-overflow") == 0) return recurse(0);
    if (strcmp(what, "use-after-munmap") == 0)
    {
        volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        p[0] = 1;
        munmap((void *)p, 4096);
        return p[0];
    }
    if (strcmp(what, "write-readonly-mapping") == 0)
    {
        volatile char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        p[0] = 1;
        return 7;
    }
    printf("fault: unknown fault '%s'\n", what);
    return 100;
}
