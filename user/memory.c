// Memory from the kernel's VMAs: raw brk, musl's malloc over brk and mmap, pages arriving on
// demand, munmap and mprotect with Linux's results, MAP_POPULATE, a file mapping, the stack
// growing down on demand, and a read() into a buffer no one has touched yet (the kernel's own
// copy faults its pages in) or into a read-only mapping (EFAULT).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

__attribute__((noinline)) static long deep(int depth)
{
    volatile char frame[4000];
    frame[0] = (char)depth;
    frame[sizeof frame - 1] = 1;
    return depth == 0 ? frame[0] : deep(depth - 1) + frame[sizeof frame - 1];
}

int main(void)
{
    // brk (musl's sbrk only reports the break: the raw call moves it)
    char *start = (char *)syscall(SYS_brk, 0);
    CHECK(start == sbrk(0) && ((uintptr_t)start & 4095) == 0, "brk(0) gives the page-aligned break");
    CHECK(syscall(SYS_brk, start + 3 * 4096) == (long)(start + 3 * 4096), "brk grows the heap");
    memset(start, 0x5a, 3 * 4096);
    CHECK(((unsigned char *)start)[3 * 4096 - 1] == 0x5a, "the new heap pages are usable");
    CHECK(syscall(SYS_brk, 0x1000) == (long)(start + 3 * 4096), "brk below the start is refused (old break)");
    CHECK(syscall(SYS_brk, start + 4096) == (long)(start + 4096), "brk shrinks the heap");

    // malloc: small (brk or mmap'd groups) and large (mmap)
    int ok = 1;
    char *blocks[200];
    for (int i = 0; i < 200; i++)
    {
        blocks[i] = malloc((size_t)(i * 37 + 1));
        if (!blocks[i]) { ok = 0; break; }
        memset(blocks[i], i, (size_t)(i * 37 + 1));
    }
    for (int i = 0; ok && i < 200; i++)
        for (int k = 0; k < i * 37 + 1; k++)
            if (blocks[i][k] != (char)i) { ok = 0; break; }
    CHECK(ok, "200 malloc blocks keep their contents");
    for (int i = 0; i < 200; i += 2) free(blocks[i]);
    char *big = malloc(4 << 20);
    CHECK(big != NULL, "malloc of 4 MiB");
    if (big) { big[0] = 1; big[(4 << 20) - 1] = 2; CHECK(big[0] == 1 && big[(4 << 20) - 1] == 2, "its first and last bytes"); free(big); }
    char *zeroed = calloc(1000, 1000);
    int allZero = zeroed != NULL;
    for (int i = 0; allZero && i < 1000000; i += 4096) allZero = zeroed[i] == 0;
    CHECK(allZero, "calloc of 1 MB reads zero");
    free(zeroed);
    char *grown = malloc(16);
    strcpy(grown, "realloc");
    grown = realloc(grown, 200000);
    CHECK(grown && strcmp(grown, "realloc") == 0, "realloc keeps the contents");
    free(grown);

    // mmap, munmap, mprotect
    unsigned char *m = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED && ((uintptr_t)m & 4095) == 0, "anonymous mmap");
    CHECK(m[4 * 4096 + 7] == 0, "an untouched page reads zero");
    m[4096] = 42;
    CHECK(munmap(m + 2 * 4096, 4096) == 0, "munmap of a middle page");
    CHECK(m[4096] == 42, "the page before it is kept");
    CHECK(mprotect(m, 4096, PROT_READ) == 0, "mprotect read-only");
    CHECK(m[0] == 0, "still readable");
    CHECK(munmap(m, 5 * 4096) == 0, "munmap of the whole range (with its hole)");
    errno = 0;
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL, "mmap of length 0 is EINVAL");
    errno = 0;
    CHECK(munmap((void *)0x10001, 4096) == -1 && errno == EINVAL, "munmap of an unaligned address is EINVAL");
    errno = 0;
    CHECK(mmap((void *)0x1000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED && errno == EPERM,
          "MAP_FIXED below mmap_min_addr is EPERM");
    int text = open("/etc/greeting.txt", O_RDONLY);
    char *mapped = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, text, 0);
    CHECK(mapped != MAP_FAILED && memcmp(mapped, "This file lives", 15) == 0, "a private file mapping of an initrd file");
    unsigned char *pop = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    CHECK(pop != MAP_FAILED && pop[2 * 4096] == 0, "MAP_POPULATE");

    // A read() into memory nobody touched: the kernel's copy faults the pages in.
    char *fresh = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int fd = open("/bin/hello", O_RDONLY);
    CHECK(fd >= 0 && read(fd, fresh, 64 * 1024) > 4096 && memcmp(fresh, "\177ELF", 4) == 0, "read into untouched mmap'd pages");
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = 0;
    CHECK(pread(fd, ro, 16, 0) == -1 && errno == EFAULT, "read into a read-only mapping is EFAULT");

    // The stack grows on demand past the first 128 KiB.
    CHECK(deep(400) == 400, "1.6 MB of stack frames");
    return check_done("memory");
}
