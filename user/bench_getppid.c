// Benchmark (not a test): the null-syscall round trip. Under QEMU's -icount shift=0 the TSC
// counts guest instructions, so "ticks per call" is instructions per getppid round trip,
// including the loop's own few instructions (measured alone and subtracted).
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline unsigned long rdtsc(void)
{
    unsigned int lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long)hi << 32 | lo;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    for (int i = 0; i < 1000; i++) syscall(SYS_getppid); // warm up
    unsigned long t0 = rdtsc();
    for (long i = 0; i < n; i++) __asm__ volatile("" ::: "memory");
    unsigned long empty = rdtsc() - t0;
    t0 = rdtsc();
    for (long i = 0; i < n; i++)
    {
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"(110L) : "rcx", "r11", "memory");
    }
    unsigned long total = rdtsc() - t0;
    printf("bench: getppid x %ld: %lu ticks, %lu.%02lu ticks per call (loop alone %lu.%02lu)\n", n, total,
           total / n, total * 100 / n % 100, empty / n, empty * 100 / n % 100);
    unsigned long net = total > empty ? total - empty : 0;
    printf("bench: getppid round trip %lu.%02lu ticks net\n", net / n, net * 100 / n % 100);
    return 0;
}
