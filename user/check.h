// Tiny test helpers for the user programs: each CHECK prints "ok N - what" or
// "not ok N - what (details)" and counts failures; main returns the count, so the exit
// status (reported by the kernel as "init exited with status N") is 0 only when all passed.
#ifndef CHECK_H
#define CHECK_H
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static int check_count, check_failures;

#define CHECK(cond, what) do { \
        check_count++; \
        if (cond) printf("ok %d - %s\n", check_count, what); \
        else { check_failures++; printf("not ok %d - %s (line %d)\n", check_count, what, __LINE__); } \
    } while (0)

// A raw syscall result: -1 with errno set, as the C library's syscall() returns it.
#define CHECK_ERRNO(call, expected, what) do { \
        errno = 0; \
        long r_ = (call); \
        int e_ = errno; \
        check_count++; \
        if (r_ == -1 && e_ == (expected)) printf("ok %d - %s -> %s\n", check_count, what, #expected); \
        else { check_failures++; printf("not ok %d - %s: got %ld errno %d (%s), expected %s\n", \
                                        check_count, what, r_, e_, strerror(e_), #expected); } \
    } while (0)

// The wait status of child pid once it ends, or -1 if waitpid fails.
static inline int child_status(pid_t pid)
{
    int status = -1;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return status;
}

static int check_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures;
}
#endif
