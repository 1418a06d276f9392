// Benchmark (not a test): memory-manager operations in instructions under QEMU's -icount
// shift=0 (the TSC counts guest instructions): mmap+munmap of one page, a demand-zero write
// fault per page, a zero-page read fault per page, mprotect split+merge, brk grow+shrink, and
// fork+exit+wait of a process with 1 MiB touched. tools/Bench/mm-bench.sh runs it.
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static inline unsigned long rdtsc(void)
{
    unsigned int lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long)hi << 32 | lo;
}

static void report(const char *name, unsigned long ticks, long ops)
{
    printf("bench: mm.%s %lu.%02lu ticks/op (%ld ops)\n", name, ticks / ops, ticks * 100 / ops % 100, ops);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000;
    unsigned long t;

    t = rdtsc();
    for (long i = 0; i < n; i++)
    {
        void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        munmap(p, PAGE);
    }
    report("mmap_munmap_1page", rdtsc() - t, n);

    unsigned char *a = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    t = rdtsc();
    for (long i = 0; i < n; i++) a[i * PAGE] = 1;
    report("demand_zero_fault", rdtsc() - t, n);
    munmap(a, n * PAGE);

    a = mmap(NULL, n * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned sum = 0;
    t = rdtsc();
    for (long i = 0; i < n; i++) sum += ((volatile unsigned char *)a)[i * PAGE];
    report("zero_page_read_fault", rdtsc() - t, n);
    munmap(a, n * PAGE);

    a = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    t = rdtsc();
    for (long i = 0; i < n; i++)
    {
        mprotect(a + PAGE, PAGE, PROT_READ);
        mprotect(a + PAGE, PAGE, PROT_READ | PROT_WRITE);
    }
    report("mprotect_split_merge", rdtsc() - t, n);
    munmap(a, 3 * PAGE);

    long base = syscall(SYS_brk, 0);
    t = rdtsc();
    for (long i = 0; i < n; i++)
    {
        syscall(SYS_brk, base + PAGE);
        syscall(SYS_brk, base);
    }
    report("brk_grow_shrink", rdtsc() - t, n);

    unsigned char *touched = mmap(NULL, 256 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (unsigned long i = 0; i < 256 * PAGE; i += PAGE) touched[i] = 1;
    long forks = n / 20 > 0 ? n / 20 : 1;
    t = rdtsc();
    for (long i = 0; i < forks; i++)
    {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        int status;
        waitpid(pid, &status, 0);
    }
    report("fork_exit_wait_1MiB", rdtsc() - t, forks);
    return sum == 0 ? 0 : 1;
}
