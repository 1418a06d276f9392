// sigaltstack and pause the Linux way: the alternate stack's settings and errnos (EINVAL,
// ENOMEM, EFAULT, EPERM while on it), SA_ONSTACK handlers running on it with uc_stack filled
// in, handlers without SA_ONSTACK staying on the normal stack, SS_AUTODISARM, a SIGSEGV handler
// recovering from a stack overflow (by siglongjmp, and by _exit with a code), the overflow
// killing the process without an alternate stack, fork keeping it and execve clearing it; pause
// returning EINTR after a handler.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include "check.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

#define ALT_SIZE (64 * 1024)
static char *alt_base;
static volatile uintptr_t local_address;
static volatile int hits, query_flags, nested_errno, uc_flags;
static volatile uintptr_t uc_sp;
static volatile size_t uc_size;
static sigjmp_buf recover;

static int on_alt(uintptr_t a) { return a > (uintptr_t)alt_base && a <= (uintptr_t)alt_base + ALT_SIZE; }

// The raw call: musl's wrapper checks some flags itself (it refuses SS_ONSTACK, which Linux takes).
static int set_stack(void *sp, int flags, size_t size)
{
    stack_t ss = { .ss_sp = sp, .ss_flags = flags, .ss_size = size };
    return (int)syscall(SYS_sigaltstack, &ss, NULL);
}

static stack_t query(void)
{
    stack_t ss;
    memset(&ss, 0x5a, sizeof ss);
    sigaltstack(NULL, &ss);
    return ss;
}

static void where_handler(int sig, siginfo_t *info, void *context)
{
    (void)sig; (void)info;
    ucontext_t *uc = context;
    volatile char here;
    hits++;
    local_address = (uintptr_t)&here;
    query_flags = query().ss_flags;
    uc_sp = (uintptr_t)uc->uc_stack.ss_sp;
    uc_size = uc->uc_stack.ss_size;
    uc_flags = uc->uc_stack.ss_flags;
    errno = 0;
    if (set_stack(alt_base, 0, ALT_SIZE) != 0) nested_errno = errno;
}

static void install(int sig, void (*handler)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) static int recurse(int depth)
{
    volatile char frame[4096];
    frame[0] = (char)depth;
    return recurse(depth + 1) + frame[0];
}

static void segv_longjmp(int sig, siginfo_t *info, void *context)
{
    (void)sig; (void)info; (void)context;
    volatile char here;
    local_address = (uintptr_t)&here;
    siglongjmp(recover, 1);
}

static void segv_exit(int sig, siginfo_t *info, void *context)
{
    (void)info; (void)context;
    volatile char here;
    _exit(on_alt((uintptr_t)&here) && sig == SIGSEGV ? 42 : 1);
}

static void settings(void)
{
    stack_t ss = query();
    CHECK(ss.ss_flags == SS_DISABLE && ss.ss_size == 0 && ss.ss_sp == NULL, "no alternate stack at start: SS_DISABLE, size 0");
    CHECK_ERRNO(set_stack(alt_base, 99, ALT_SIZE), EINVAL, "sigaltstack flags 99");
    CHECK_ERRNO(set_stack(alt_base, SS_ONSTACK | SS_DISABLE, ALT_SIZE), EINVAL, "sigaltstack SS_ONSTACK|SS_DISABLE");
    CHECK_ERRNO(set_stack(alt_base, 0, MINSIGSTKSZ - 1), ENOMEM, "sigaltstack below MINSIGSTKSZ");
    CHECK_ERRNO(syscall(SYS_sigaltstack, (void *)8, NULL), EFAULT, "sigaltstack unreadable stack_t");
    CHECK_ERRNO(syscall(SYS_sigaltstack, NULL, (void *)8), EFAULT, "sigaltstack unwritable old stack_t");
    CHECK(query().ss_flags == SS_DISABLE, "failed calls changed nothing");
    CHECK(set_stack(alt_base, SS_ONSTACK, ALT_SIZE) == 0, "SS_ONSTACK as a request enables the stack");
    ss = query();
    CHECK(ss.ss_sp == alt_base && ss.ss_size == ALT_SIZE && ss.ss_flags == 0, "read back: base, size, flags 0 (not on it)");
    CHECK(set_stack(NULL, SS_DISABLE, 0) == 0 && query().ss_flags == SS_DISABLE && query().ss_size == 0, "SS_DISABLE clears it");
    CHECK(set_stack(alt_base, 0, MINSIGSTKSZ) == 0 && query().ss_size == MINSIGSTKSZ, "exactly MINSIGSTKSZ is enough");
    CHECK(set_stack(alt_base, 0, ALT_SIZE) == 0, "set the 64 KiB stack");
}

static void handlers(void)
{
    install(SIGUSR1, where_handler, SA_ONSTACK);
    hits = 0;
    raise(SIGUSR1);
    CHECK(hits == 1 && on_alt(local_address), "SA_ONSTACK handler ran on the alternate stack");
    CHECK(query_flags == SS_ONSTACK, "inside it sigaltstack reports SS_ONSTACK");
    CHECK(nested_errno == EPERM, "changing the stack while on it -> EPERM");
    CHECK(uc_sp == (uintptr_t)alt_base && uc_size == ALT_SIZE && uc_flags == 0, "uc_stack holds base, size and flags 0");
    CHECK(query().ss_flags == 0, "after the handler the caller is off the stack again");

    install(SIGUSR2, where_handler, 0);
    hits = 0;
    nested_errno = 0;
    raise(SIGUSR2);
    CHECK(hits == 1 && !on_alt(local_address) && query_flags == 0, "handler without SA_ONSTACK stays on the normal stack");
    CHECK(nested_errno == 0, "off the stack, sigaltstack may change it (the same setting)");

    CHECK(set_stack(alt_base, SS_AUTODISARM, ALT_SIZE) == 0, "SS_AUTODISARM accepted");
    CHECK((unsigned)query().ss_flags == SS_AUTODISARM, "read back with SS_AUTODISARM");
    hits = 0;
    nested_errno = 0;
    raise(SIGUSR1);
    CHECK(hits == 1 && on_alt(local_address) && query_flags == SS_DISABLE, "SS_AUTODISARM: on the stack, disarmed inside the handler");
    CHECK((unsigned)uc_flags == SS_AUTODISARM, "uc_stack keeps SS_AUTODISARM");
    stack_t ss = query();
    CHECK(ss.ss_sp == alt_base && ss.ss_size == ALT_SIZE && (unsigned)ss.ss_flags == SS_AUTODISARM, "rt_sigreturn re-armed it from uc_stack");
    CHECK(set_stack(alt_base, 0, ALT_SIZE) == 0, "back to a plain alternate stack");
}

static void overflow(void)
{
    pid_t pid = fork();
    if (pid == 0)
    {
        install(SIGSEGV, segv_longjmp, SA_ONSTACK);
        int recovered = 0;
        for (int round = 0; round < 2; round++)
            if (sigsetjmp(recover, 1) == 0) recurse(0);
            else if (on_alt(local_address)) recovered++;
        _exit(recovered == 2 ? 7 : 1);
    }
    int status = child_status(pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "stack overflow twice, SIGSEGV handler on the alternate stack siglongjmps back");

    pid = fork();
    if (pid == 0)
    {
        install(SIGSEGV, segv_exit, SA_ONSTACK);
        recurse(0);
        _exit(1);
    }
    status = child_status(pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42, "stack overflow: the handler _exits 42 from the alternate stack");

    pid = fork();
    if (pid == 0)
    {
        set_stack(NULL, SS_DISABLE, 0);
        install(SIGSEGV, segv_exit, SA_ONSTACK);
        recurse(0);
        _exit(1);
    }
    status = child_status(pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "stack overflow without an alternate stack: killed by SIGSEGV");
}

static void inheritance(void)
{
    pid_t pid = fork();
    if (pid == 0)
    {
        stack_t ss = query();
        _exit(ss.ss_sp == alt_base && ss.ss_size == ALT_SIZE && ss.ss_flags == 0 ? 0 : 1);
    }
    int status = child_status(pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fork keeps the alternate stack");

    pid = fork();
    if (pid == 0)
    {
        char *argv[] = { "/bin/altstack", "after-exec", NULL };
        execve(argv[0], argv, NULL);
        _exit(2);
    }
    status = child_status(pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "execve clears it (the new program sees SS_DISABLE)");
}

static volatile int usr1_hits;
static void count_usr1(int sig) { (void)sig; usr1_hits++; }

static void pausing(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = count_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
    {
        // Keeps signalling: the first signal may land before the parent reaches pause.
        struct timespec delay = { 0, 20 * 1000 * 1000 };
        for (int i = 0; i < 500; i++) { nanosleep(&delay, NULL); kill(parent, SIGUSR1); }
        _exit(0);
    }
    errno = 0;
    long r = syscall(SYS_pause);
    int e = errno;
    CHECK(r == -1 && e == EINTR && usr1_hits >= 1, "pause returns -1 EINTR after the handler ran");
    kill(pid, SIGKILL);
    child_status(pid);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0)
        return query().ss_flags == SS_DISABLE && query().ss_size == 0 ? 0 : 1;
    // `altstack quiet` (the in-guest suite): output closed, the exit status is the failure count.
    if (argc > 1 && strcmp(argv[1], "quiet") == 0) close(1);
    alt_base = malloc(ALT_SIZE);
    settings();
    handlers();
    overflow();
    inheritance();
    pausing();
    return check_done("altstack");
}
