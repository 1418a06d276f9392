// Bad arguments to the memory calls get Linux's errno: unaligned, overflowing, zero-length,
// unmapped ranges, unknown flags (values checked against Linux 6.x on x86-64).
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define PAGE 4096UL

int main(void)
{
    char *a = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(a != MAP_FAILED, "mmap 4 pages");

    // mmap
    CHECK_ERRNO((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL, "mmap zero length");
    CHECK_ERRNO((long)mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL, "mmap neither private nor shared");
    CHECK_ERRNO((long)mmap(a + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL, "mmap MAP_FIXED unaligned");
    CHECK_ERRNO(syscall(SYS_mmap, 0, PAGE, PROT_READ, MAP_PRIVATE, 3, 1), EINVAL, "mmap unaligned offset");
    CHECK_ERRNO((long)mmap(NULL, UINT64_MAX - PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM, "mmap overflowing length");
    CHECK_ERRNO((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 77, 0), EBADF, "mmap of a closed fd");
    CHECK_ERRNO((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 1, 0), ENODEV, "mmap of the console");
    CHECK_ERRNO((long)mmap((void *)0x1000, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EPERM, "mmap MAP_FIXED below mmap_min_addr");
    CHECK_ERRNO((long)mmap(a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST, "MAP_FIXED_NOREPLACE over a mapping");
    CHECK_ERRNO((long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0), EINVAL, "shared growsdown");
    CHECK_ERRNO((long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x40000000, -1, 0), EOPNOTSUPP, "MAP_SHARED_VALIDATE with an unknown flag");
    CHECK_ERRNO((long)mmap((void *)(1UL << 47), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM, "MAP_FIXED above the user half");

    // munmap
    CHECK_ERRNO(munmap(a + 1, PAGE), EINVAL, "munmap unaligned");
    CHECK_ERRNO(munmap(a, 0), EINVAL, "munmap zero length");
    CHECK_ERRNO(munmap((void *)(UINT64_MAX & ~(PAGE - 1)), PAGE), EINVAL, "munmap overflowing range");
    CHECK(munmap(a - 64 * PAGE * 1024, PAGE) == 0, "munmap of an unmapped range succeeds");

    // mprotect
    CHECK_ERRNO(syscall(SYS_mprotect, a + 1, PAGE, PROT_READ), EINVAL, "mprotect unaligned (musl would align it)");
    CHECK(mprotect(a, 0, PROT_READ) == 0, "mprotect zero length succeeds");
    CHECK_ERRNO(mprotect(a, PAGE, 0x80), EINVAL, "mprotect unknown prot bit");
    CHECK_ERRNO(mprotect(a, PAGE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), EINVAL, "mprotect GROWSDOWN|GROWSUP");
    CHECK_ERRNO(mprotect(a, PAGE, PROT_READ | PROT_GROWSDOWN), EINVAL, "mprotect GROWSDOWN on a plain mapping");
    CHECK_ERRNO(mprotect(a - 64 * PAGE * 1024, PAGE, PROT_READ), ENOMEM, "mprotect unmapped");
    CHECK_ERRNO(mprotect(a, 16 * PAGE, PROT_READ), ENOMEM, "mprotect running into a hole");
    CHECK_ERRNO(mprotect((void *)(UINT64_MAX & ~(PAGE - 1)), 2 * PAGE, PROT_READ), ENOMEM, "mprotect wrapping range");

    // mremap
    CHECK_ERRNO((long)mremap(a + 1, PAGE, 2 * PAGE, 0), EINVAL, "mremap unaligned");
    CHECK_ERRNO((long)mremap(a, PAGE, 0, 0), EINVAL, "mremap to zero length");
    CHECK_ERRNO((long)mremap(a, PAGE, PAGE, 0x80), EINVAL, "mremap unknown flag");
    CHECK_ERRNO((long)mremap(a, PAGE, PAGE, MREMAP_FIXED, a + 8 * PAGE), EINVAL, "mremap FIXED without MAYMOVE");
    CHECK_ERRNO((long)mremap(a - 64 * PAGE * 1024, PAGE, 2 * PAGE, MREMAP_MAYMOVE), EFAULT, "mremap of an unmapped address");
    CHECK_ERRNO((long)mremap(a, 8 * PAGE, 16 * PAGE, MREMAP_MAYMOVE), EFAULT, "mremap old range beyond its VMA");
    CHECK_ERRNO((long)mremap(a, 0, PAGE, MREMAP_MAYMOVE), EINVAL, "mremap zero old length of a private mapping");
    CHECK_ERRNO((long)mremap(a, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, a + PAGE), EINVAL, "mremap FIXED onto itself");

    // madvise
    CHECK_ERRNO(madvise(a + 1, PAGE, MADV_DONTNEED), EINVAL, "madvise unaligned");
    CHECK_ERRNO(madvise(a, PAGE, 12345), EINVAL, "madvise unknown advice");
    CHECK_ERRNO(madvise(a - 64 * PAGE * 1024, PAGE, MADV_DONTNEED), ENOMEM, "madvise unmapped");
    CHECK(madvise(a, 0, MADV_DONTNEED) == 0, "madvise zero length succeeds");

    // brk never fails with an errno: it answers the old break
    long brk0 = syscall(SYS_brk, 0);
    CHECK(brk0 > 0, "brk(0) is the break");
    CHECK(syscall(SYS_brk, 1) == brk0, "brk below the start answers the old break");
    CHECK(syscall(SYS_brk, (1UL << 47) + PAGE) == brk0, "brk beyond the user half answers the old break");
    CHECK(syscall(SYS_brk, brk0 + 3 * PAGE) == brk0 + (long)(3 * PAGE), "brk grows");
    CHECK(syscall(SYS_brk, brk0) == brk0, "brk shrinks back");
    return check_done("mm_errors");
}
