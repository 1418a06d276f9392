// Syscall error paths through the raw syscall() wrapper (no libc-side checks): bad pointers
// give EFAULT (user limit, kernel half, non-canonical, wrapping, unmapped), bad descriptors
// EBADF, unknown numbers ENOSYS, bad arguments EINVAL, and the file layer's own errors.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define KERNEL_PTR ((void *)0xffffffff80100000UL)
#define DIRECT_MAP ((void *)0xffff888000100000UL)
#define NONCANON ((void *)0x0000800000000000UL)
#define ABOVE_LIMIT ((void *)0x00007ffffffff000UL)
#define UNMAPPED ((void *)0x0000100000000000UL)

int main(void)
{
    char buf[64];
    struct timespec ts;

    // EFAULT: every kind of bad pointer, for reads and writes of user memory.
    CHECK_ERRNO(syscall(SYS_write, 1, KERNEL_PTR, 8), EFAULT, "write from kernel text");
    CHECK_ERRNO(syscall(SYS_write, 1, DIRECT_MAP, 8), EFAULT, "write from the direct map");
    CHECK_ERRNO(syscall(SYS_write, 1, NONCANON, 8), EFAULT, "write from a non-canonical address");
    CHECK_ERRNO(syscall(SYS_write, 1, NULL, 8), EFAULT, "write from NULL");
    CHECK_ERRNO(syscall(SYS_write, 1, UNMAPPED, 8), EFAULT, "write from an unmapped user page");
    CHECK_ERRNO(syscall(SYS_write, 1, (void *)0x7fffffffe000UL, 0x10000), EFAULT, "write crossing the user limit");
    CHECK_ERRNO(syscall(SYS_write, 1, (void *)0xfffffffffffffff0UL, 0x20), EFAULT, "write with a wrapping range");
    CHECK_ERRNO(syscall(SYS_read, 0, KERNEL_PTR, 8), EFAULT, "console read into the kernel (no wait)");
    CHECK_ERRNO(syscall(SYS_read, 0, UNMAPPED, 8), EFAULT, "console read into an unmapped page (no wait)");
    CHECK_ERRNO(syscall(SYS_read, 0, (void *)main, 8), EFAULT, "console read into read-only text (no wait)");
    CHECK_ERRNO(syscall(SYS_open, KERNEL_PTR, O_RDONLY), EFAULT, "open with a kernel path pointer");
    CHECK_ERRNO(syscall(SYS_fstat, 1, KERNEL_PTR), EFAULT, "fstat into the kernel");
    CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ABOVE_LIMIT), EFAULT, "clock_gettime above the user limit");
    CHECK_ERRNO(syscall(SYS_uname, DIRECT_MAP), EFAULT, "uname into the direct map");
    CHECK_ERRNO(syscall(SYS_getrandom, KERNEL_PTR, 16, 0), EFAULT, "getrandom into the kernel");
    CHECK_ERRNO(syscall(SYS_writev, 1, KERNEL_PTR, 1), EFAULT, "writev with a kernel iovec array");
    struct iovec bad = { KERNEL_PTR, 4 };
    CHECK_ERRNO(syscall(SYS_writev, 1, &bad, 1), EFAULT, "writev with a kernel buffer");
    CHECK_ERRNO(syscall(SYS_arch_prctl, 0x1003, KERNEL_PTR), EFAULT, "arch_prctl(ARCH_GET_FS) into the kernel");
    CHECK_ERRNO(syscall(SYS_nanosleep, KERNEL_PTR, NULL), EFAULT, "nanosleep from the kernel");

    // EBADF
    CHECK_ERRNO(syscall(SYS_close, 99), EBADF, "close(99)");
    CHECK_ERRNO(syscall(SYS_read, 42, buf, 1), EBADF, "read(42)");
    CHECK_ERRNO(syscall(SYS_write, -1, buf, 1), EBADF, "write(-1)");
    CHECK_ERRNO(syscall(SYS_fstat, 77, buf), EBADF, "fstat(77)");
    CHECK_ERRNO(syscall(SYS_lseek, 1000, 0, SEEK_SET), EBADF, "lseek(1000)");
    CHECK_ERRNO(syscall(SYS_getdents64, 63, buf, sizeof buf), EBADF, "getdents64(63)");
    CHECK_ERRNO(syscall(SYS_ioctl, 50, 0x5401, buf), EBADF, "ioctl(50, TCGETS)");

    // ENOSYS
    CHECK_ERRNO(syscall(1000), ENOSYS, "syscall 1000");
    CHECK_ERRNO(syscall(-1L), ENOSYS, "syscall -1");
    CHECK_ERRNO(syscall(335), ENOSYS, "syscall 335 (unassigned)");

    // EINVAL
    CHECK_ERRNO(syscall(SYS_getrandom, buf, 8, 0x80), EINVAL, "getrandom with unknown flags");
    CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL, "rt_sigaction with sigsetsize 4");
    CHECK_ERRNO(syscall(SYS_rt_sigaction, 65, NULL, NULL, 8), EINVAL, "rt_sigaction(65)");
    struct { void *h; unsigned long f; void *r; unsigned long m; } act = { 0 };
    CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGKILL, &act, NULL, 8), EINVAL, "rt_sigaction(SIGKILL)");
    unsigned long set = 0;
    CHECK_ERRNO(syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8), EINVAL, "rt_sigprocmask how 7");
    CHECK_ERRNO(syscall(SYS_clock_gettime, -5, &ts), EINVAL, "clock_gettime(-5)");
    ts.tv_sec = 0; ts.tv_nsec = 2000000000;
    CHECK_ERRNO(syscall(SYS_nanosleep, &ts, NULL), EINVAL, "nanosleep with tv_nsec 2e9");
    CHECK_ERRNO(syscall(SYS_readv, 0, buf, -1), EINVAL, "readv with count -1");
    CHECK_ERRNO(syscall(SYS_writev, 1, buf, 1025), EINVAL, "writev with count 1025");
    CHECK_ERRNO(syscall(SYS_lseek, 3 + 0, 0, 0), EBADF, "lseek on a closed fd");
    int fd = open("/etc/greeting.txt", O_RDONLY);
    CHECK(fd >= 0, "open /etc/greeting.txt");
    CHECK_ERRNO(syscall(SYS_lseek, fd, 0, 9), EINVAL, "lseek whence 9");
    CHECK_ERRNO(syscall(SYS_lseek, fd, (long)-10, SEEK_SET), EINVAL, "lseek to -10");
    CHECK_ERRNO(syscall(SYS_pread64, fd, buf, 4, (long)-1), EINVAL, "pread64 at -1");
    CHECK_ERRNO(syscall(SYS_arch_prctl, 0x9999, 0), EINVAL, "arch_prctl unknown code");
    CHECK_ERRNO(syscall(SYS_reboot, 0x12345678, 0, 0, 0), EINVAL, "reboot with bad magic");
    CHECK_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, "/", buf, 0x4000000), EINVAL, "newfstatat with unknown flags");
    CHECK_ERRNO(syscall(SYS_fcntl, fd, 999, 0), EINVAL, "fcntl with an unknown command");

    // The file layer's errors.
    CHECK_ERRNO(syscall(SYS_open, "/no/such/file", O_RDONLY), ENOENT, "open a missing file");
    CHECK_ERRNO(syscall(SYS_open, "", O_RDONLY), ENOENT, "open an empty path");
    CHECK_ERRNO(syscall(SYS_open, "/bin/hello", O_WRONLY), EROFS, "open for writing");
    CHECK_ERRNO(syscall(SYS_open, "/new", O_RDONLY | O_CREAT, 0644), EROFS, "create a file");
    CHECK_ERRNO(syscall(SYS_open, "/bin", O_RDWR), EISDIR, "open a directory for writing");
    CHECK_ERRNO(syscall(SYS_open, "/bin/hello", O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file");
    CHECK_ERRNO(syscall(SYS_openat, fd, "x", O_RDONLY), ENOTDIR, "openat relative to a file");
    CHECK_ERRNO(syscall(SYS_write, fd, "x", 1), EBADF, "write to a read-only file");
    CHECK_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR, "getdents64 on a file");
    CHECK_ERRNO(syscall(SYS_ioctl, fd, 0x5401, buf), ENOTTY, "TCGETS on a file");
    CHECK_ERRNO(syscall(SYS_ioctl, 1, 0x1234, buf), ENOTTY, "unknown ioctl on the console");
    CHECK_ERRNO(syscall(SYS_lseek, 1, 0, SEEK_CUR), ESPIPE, "lseek on the console");
    int dir = open("/bin", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0, "open /bin as a directory");
    CHECK_ERRNO(syscall(SYS_read, dir, buf, 4), EISDIR, "read a directory");
    CHECK_ERRNO(syscall(SYS_getdents64, dir, buf, 8), EINVAL, "getdents64 with a tiny buffer");
    char longpath[5000];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = 0;
    CHECK_ERRNO(syscall(SYS_open, longpath, O_RDONLY), ENAMETOOLONG, "open with a path over PATH_MAX");

    // Zero-length and NULL-based entries are fine (musl flushes with { NULL, 0 }).
    struct iovec v[3] = { { NULL, 0 }, { "vec\n", 4 }, { NULL, 0 } };
    CHECK(syscall(SYS_writev, 1, v, 3) == 4, "writev with NULL zero-length entries");
    CHECK(syscall(SYS_write, 1, NULL, 0) == 0, "write of 0 bytes from NULL");
    CHECK(syscall(SYS_readv, 0, v, 0) == 0, "readv of 0 entries");
    return check_done("syscall_errors");
}
