// Listing /proc through getdents64, the way Linux answers: /proc and /proc/PID (and
// /proc/self) open as 0555 directories, list their entries with the right d_type, resume
// across small buffers and after lseek to a d_off, and refuse bad calls with Linux's errno.
// A forked child sees its parent's directory; once reaped, the child's is gone.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define MAX_NAMES 128
static char names[MAX_NAMES][256];
static unsigned char types[MAX_NAMES];
static long offsets[MAX_NAMES];
static int count;

// Lists fd with buffers of `size` bytes into names/types/offsets; the last getdents64 result.
static long list(int fd, size_t size)
{
    char dents[4096];
    long n;
    count = 0;
    while ((n = syscall(SYS_getdents64, fd, dents, size)) > 0)
        for (long off = 0; off < n;)
        {
            struct dirent *e = (struct dirent *)(dents + off);
            if (count < MAX_NAMES)
            {
                snprintf(names[count], sizeof names[count], "%s", e->d_name);
                types[count] = e->d_type;
                offsets[count] = e->d_off;
                count++;
            }
            off += e->d_reclen;
        }
    return n;
}

static int find(const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

static int has(const char *name, unsigned char type)
{
    int i = find(name);
    return i >= 0 && types[i] == type;
}

static int listed_pid(int pid)
{
    char name[16];
    snprintf(name, sizeof name, "%d", pid);
    return has(name, DT_DIR);
}

int main(void)
{
    struct stat st;
    char buf[64];

    int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    CHECK(proc >= 0, "open /proc O_DIRECTORY");
    CHECK(fstat(proc, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0555, "fstat /proc: a 0555 directory");
    CHECK(stat("/proc", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0555, "stat /proc: a 0555 directory");
    CHECK_ERRNO(read(proc, buf, sizeof buf), EISDIR, "read on /proc");
    CHECK_ERRNO(pread(proc, buf, sizeof buf, 0), EISDIR, "pread on /proc");

    CHECK(list(proc, 4096) == 0, "getdents64 on /proc ends with 0");
    printf("# /proc has %d entries\n", count);
    CHECK(count >= 7 && strcmp(names[0], ".") == 0 && strcmp(names[1], "..") == 0, "/proc starts with . and ..");
    CHECK(has("meminfo", DT_REG) && has("buddyinfo", DT_REG) && has("slabinfo", DT_REG), "meminfo, buddyinfo, slabinfo are DT_REG");
    CHECK(has("self", DT_DIR), "self is listed (DT_DIR)");
    CHECK(listed_pid(getpid()), "its own pid is a DT_DIR");
    CHECK(find("0") < 0, "no directory for the kernel task");
    int full = count;
    char first_pid[256];
    snprintf(first_pid, sizeof first_pid, "%s", names[6]);
    long after_self = offsets[find("self")];

    CHECK(lseek(proc, 0, SEEK_SET) == 0 && list(proc, 40) == 0 && count == full, "32-40 byte buffers: one entry a call, same listing");
    CHECK_ERRNO(lseek(proc, 0, SEEK_SET) == 0 ? syscall(SYS_getdents64, proc, buf, 10) : 0, EINVAL, "getdents64 with a 10-byte buffer");
    CHECK(list(proc, 4096) == 0 && count == full, "nothing lost after EINVAL");
    CHECK(lseek(proc, after_self, SEEK_SET) == after_self && list(proc, 4096) == 0 && count == full - 6 && strcmp(names[0], first_pid) == 0,
          "lseek to self's d_off resumes at the first pid");
    CHECK(syscall(SYS_getdents64, proc, buf, sizeof buf) == 0, "at the end getdents64 returns 0");

    CHECK_ERRNO(syscall(SYS_getdents64, 99, buf, sizeof buf), EBADF, "getdents64 on fd 99");
    int meminfo = open("/proc/meminfo", O_RDONLY);
    CHECK_ERRNO(syscall(SYS_getdents64, meminfo, buf, sizeof buf), ENOTDIR, "getdents64 on /proc/meminfo");
    CHECK(fstat(meminfo, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0444, "fstat /proc/meminfo: a 0444 file");
    close(meminfo);
    CHECK_ERRNO(open("/proc/meminfo", O_RDONLY | O_DIRECTORY), ENOTDIR, "open /proc/meminfo O_DIRECTORY");
    CHECK_ERRNO(open("/proc", O_WRONLY), EISDIR, "open /proc for writing");
    CHECK_ERRNO(open("/proc/self", O_RDWR), EISDIR, "open /proc/self for writing");
    CHECK_ERRNO(open("/proc/01", O_RDONLY), ENOENT, "open /proc/01 (leading zero)");
    CHECK_ERRNO(open("/proc/0", O_RDONLY), ENOENT, "open /proc/0");
    CHECK_ERRNO(stat("/proc/nothing", &st), ENOENT, "stat /proc/nothing");

    // Names relative to a /proc directory descriptor.
    CHECK(fstatat(proc, "meminfo", &st, 0) == 0 && S_ISREG(st.st_mode), "fstatat(/proc, meminfo)");
    CHECK(fstatat(proc, "", &st, AT_EMPTY_PATH) == 0 && S_ISDIR(st.st_mode), "fstatat(/proc, \"\", AT_EMPTY_PATH)");
    int rel = openat(proc, "meminfo", O_RDONLY);
    CHECK(rel >= 0 && read(rel, buf, 9) == 9 && memcmp(buf, "MemTotal:", 9) == 0, "openat(/proc, meminfo) reads MemTotal");
    close(rel);

    // /proc/self and /proc/PID.
    int self = open("/proc/self", O_RDONLY | O_DIRECTORY);
    CHECK(self >= 0 && fstat(self, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0555, "open /proc/self: a 0555 directory");
    CHECK(list(self, 4096) == 0 && count == 3 && has(".", DT_DIR) && has("..", DT_DIR) && has("maps", DT_REG), "/proc/self lists . .. maps");
    rel = openat(self, "maps", O_RDONLY);
    CHECK(rel >= 0 && read(rel, buf, sizeof buf) > 0, "openat(/proc/self, maps) reads");
    close(rel);
    CHECK_ERRNO(read(self, buf, sizeof buf), EISDIR, "read on /proc/self");
    char path[64];
    snprintf(path, sizeof path, "/proc/%d", getpid());
    int mine = open(path, O_RDONLY | O_DIRECTORY);
    CHECK(mine >= 0 && list(mine, 4096) == 0 && count == 3 && has("maps", DT_REG), "/proc/PID of itself lists maps");
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode), "stat /proc/PID: a directory");
    close(mine);
    close(self);

    // A child sees its parent (blocked in wait4, so alive); once reaped, the child's directory is gone.
    int child = fork();
    if (child == 0)
    {
        int fd = open("/proc", O_RDONLY | O_DIRECTORY);
        list(fd, 4096);
        _exit(listed_pid(getppid()) && listed_pid(getpid()) ? 0 : 1);
    }
    int status = -1;
    CHECK(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a child lists its parent's pid and its own");
    snprintf(path, sizeof path, "/proc/%d", child);
    CHECK_ERRNO(open(path, O_RDONLY | O_DIRECTORY), ENOENT, "open /proc/PID of a reaped child");
    CHECK_ERRNO(stat(path, &st), ENOENT, "stat /proc/PID of a reaped child");
    CHECK(lseek(proc, 0, SEEK_SET) == 0 && list(proc, 4096) == 0 && !listed_pid(child), "the reaped child is not listed");
    close(proc);
    return check_done("proclist");
}
